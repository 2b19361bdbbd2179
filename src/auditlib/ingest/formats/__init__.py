"""The built-in readers, one module per family of formats; auditlib.ingest.readers lists them in order."""
