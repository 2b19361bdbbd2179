"""nbconvert: an executed notebook to one self-contained HTML page with auditlib's template."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from auditlib.render.html import memo_css

REMOVE_TAG = "remove_cell"


def _template_dir() -> Path:
    return Path(str(resources.files("auditlib").joinpath("templates")))


def notebook_to_html(notebook_path: str | Path, title: str) -> str:
    """Export an executed notebook: outputs only, no prompts, no code, nothing fetched from the web."""
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.embed_images = True
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {REMOVE_TAG}
    exporter = HTMLExporter(config=config, template_name="auditlib", extra_template_basedirs=[str(_template_dir())])
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    notebook = nbformat.read(str(notebook_path), as_version=4)
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook, resources={"auditlib_css": memo_css()})
    return body.replace('<html lang="en">', '<html lang="zh-CN">', 1)
