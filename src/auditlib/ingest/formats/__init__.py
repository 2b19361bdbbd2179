"""The built-in readers, registered in the order they are tried: the most specific signatures first."""

from auditlib.ingest.formats import pdf, office, html, text  # noqa: F401
