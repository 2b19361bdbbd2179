"""Readers turn a report file into blocks of text with their source location; a format plugs in with @register.

Each reader returns (blocks, encoding). Readers are tried in registration order: the first whose `sniff`
accepts the leading bytes wins, so detection is by content, never by file name. A reader registered later
for a format that is already known replaces the built-in one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from auditlib.errors import UnsupportedFormat
from auditlib.ingest.document import Block

ReadResult = tuple[list[Block], str]


@dataclass(frozen=True)
class Reader:
    """A named format: how to recognise its bytes and how to turn them into blocks of text."""

    format: str
    sniff: Callable[[bytes], bool]
    read: Callable[[bytes, str], ReadResult]


READERS: list[Reader] = []


def register(format: str, sniff: Callable[[bytes], bool]):
    """Register a reader function `read(data, path) -> (blocks, encoding)` for a format."""

    def decorator(read):
        reader = Reader(format, sniff, read)
        known = next((i for i, r in enumerate(READERS) if r.format == format), None)
        if known is None:
            READERS.append(reader)
        else:
            READERS[known] = reader
        return read

    return decorator


def reader_for(data: bytes) -> Reader:
    """The first registered reader whose sniff accepts the bytes."""
    for reader in READERS:
        if reader.sniff(data):
            return reader
    raise UnsupportedFormat("no reader accepts this file")  # unreachable: text accepts everything


# The built-in readers, registered now so that a plugin registered later replaces one. Each imports its
# format's library only when a file of that format is read, so importing auditlib stays fast.
from auditlib.ingest import formats  # noqa: E402,F401
