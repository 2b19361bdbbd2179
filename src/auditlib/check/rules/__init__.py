"""The rules, one module per family; check/catalogue.py collects them."""
