"""Exceptions raised by auditlib; every message says what the user can do about it."""

from __future__ import annotations


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


class ParamsError(AuditlibError):
    """A params/<unit>-<year>.yaml file is missing a key or has a wrong value."""
