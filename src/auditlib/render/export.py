"""nbconvert: an executed notebook to one self-contained HTML page with auditlib's template.

The exporter (its template environment is the costly part) is built once per process and reused.
"""

from __future__ import annotations

import copy
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from auditlib.render.html import memo_css, page_css

REMOVE_TAG = "remove_cell"

_exporter_lock = threading.Lock()  # an exporter keeps per-export state while it runs: one export at a time
_exporters: list[Any] = []


def _template_dir() -> Path:
    return Path(str(resources.files("auditlib").joinpath("templates")))


def exporter():
    """The process's one HTML exporter, built on first use (building it costs more than an export)."""
    with _exporter_lock:
        if not _exporters:
            _exporters.append(_build_exporter())
    return _exporters[0]


def _page_exporter_class():
    """nbconvert's HTMLExporter without its closing BeautifulSoup pass.

    That pass re-parses the finished page to give <img> tags without alt a stock text and notebook cells a
    tabindex. Our pages have neither: charts are inline SVG and code cells are excluded. On a 5,000-unit index
    (10 MiB) the re-parse alone costs about 400 MB and most of the export's time. Everything else is
    HTMLExporter's own: its filters, resources and template.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code",
                                 self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return PageExporter


def _build_exporter():
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.embed_images = True
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {REMOVE_TAG}
    exporter = _page_exporter_class()(config=config, template_name="auditlib",
                                      extra_template_basedirs=[str(_template_dir())])
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    return exporter


def notebook_to_html(notebook: str | Path | Any, title: str) -> str:
    """Export an executed notebook (a path, or the NotebookNode papermill returned): outputs only, no prompts,
    no code, nothing fetched from the web."""
    import nbformat

    if isinstance(notebook, (str, Path)):
        notebook = nbformat.read(str(notebook), as_version=4)
    else:
        notebook = copy.deepcopy(notebook)  # the title below is for the page, not for the saved notebook
    notebook.metadata["title"] = title
    html_exporter = exporter()
    with _exporter_lock:
        body, _ = html_exporter.from_notebook_node(notebook, resources={"auditlib_css": page_css() + memo_css()})
    return body.replace('<html lang="en">', '<html lang="zh-CN">', 1)


def parts_to_html(parts: list[str], title: str) -> str:
    """Export a notebook whose cells each show one HTML part (a memo's), as notebook_to_html does."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": part})]) for part in parts]
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"memo-part-{index + 1}"  # the same page for the same parts (nbformat's ids are random)
    return notebook_to_html(notebook, title)
