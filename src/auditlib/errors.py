"""Exceptions raised by auditlib; every message says what the user can do about it."""

from __future__ import annotations


def one_line(message: str) -> str:
    """A message as one line of plain text: a file name or a library's error with a newline, a tab or terminal
    escape codes (ANSI) cannot break the line or drive the terminal; each control character is shown escaped."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in message)


class AuditlibError(Exception):
    """Root of every auditlib error."""

    def __reduce__(self):
        # Keep errors picklable across batch worker processes even with keyword-only state.
        return (self.__class__, self.args)


class ReportNotFound(AuditlibError):
    """The report path does not exist or is not a file."""


class UnreadableReport(AuditlibError):
    """The report exists but its bytes cannot be decoded or parsed."""


class UnsupportedFormat(AuditlibError):
    """The report is in a format no reader handles yet."""


class ReportTooLarge(UnreadableReport):
    """The report, or what it unpacks to, is over a documented size limit (auditlib.ingest.limits)."""


class OutputError(AuditlibError):
    """The output folder cannot be written: it is a file, read-only, or locked by another batch."""


class ParamsError(AuditlibError):
    """A params/<unit>-<year>.yaml file is missing a key or has a wrong value."""
