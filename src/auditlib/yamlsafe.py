"""YAML from files users and others write (params, review files, rule sets), loaded with bounds.

yaml.safe_load builds no objects but follows anchors and aliases: a "billion laughs" file of a few hundred
bytes stands for 10⁹ values, harmless while shared and gigabytes once anything walks it (validation, JSON,
a notebook's parameters). Here a file may hold at most MAX_BYTES, MAX_ALIASES aliases and MAX_VALUES values
counted with every alias expanded; beyond that it is refused with one message, before anything walks it.
"""

from __future__ import annotations

from typing import Any

MAX_BYTES = 1024 * 1024
MAX_ALIASES = 100
MAX_VALUES = 100_000


class YamlTooLarge(ValueError):
    """The file is over a bound: its message says which one."""


def load_yaml(text: str | bytes) -> Any:
    """Parse YAML with safe_load's types, refusing a file over MAX_BYTES, MAX_ALIASES or MAX_VALUES
    (YamlTooLarge); a syntax error is yaml.YAMLError, nesting too deep RecursionError, as with safe_load."""
    import yaml
    from yaml.events import AliasEvent

    if len(text) > MAX_BYTES:
        raise YamlTooLarge(f"over {MAX_BYTES // 1024} KiB")

    class BoundedLoader(yaml.SafeLoader):
        aliases = 0

        def compose_node(self, parent, index):
            if self.check_event(AliasEvent):
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    raise YamlTooLarge(f"more than {MAX_ALIASES} aliases (*name): a YAML bomb, not a settings file")
            return super().compose_node(parent, index)

    loader = BoundedLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    _count_values(data)
    return data


def _count_values(data: Any) -> None:
    """Walk the data as a consumer would (aliases expanded), stopping at MAX_VALUES. A collection that holds
    itself (`&a [*a]`) is walked once: it is a cycle, which the consumer's validation reports, not a bomb."""
    seen = 0

    def walk(value: Any, ancestors: frozenset[int]) -> None:
        nonlocal seen
        seen += 1
        if seen > MAX_VALUES:
            raise YamlTooLarge(f"more than {MAX_VALUES:,} values once its aliases are expanded: a YAML bomb")
        if isinstance(value, (dict, list, tuple, set)):
            if id(value) in ancestors:
                return
            inner = ancestors | {id(value)}
            for item in (value.items() if isinstance(value, dict) else value):
                if isinstance(value, dict):
                    walk(item[0], inner)
                    walk(item[1], inner)
                else:
                    walk(item, inner)

    walk(data, frozenset())
