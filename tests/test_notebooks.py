"""The notebooks: committed clean, and run through papermill in real kernels."""

import json

import pytest

from auditlib.worker import make_memo
from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs_and_with_parameters(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(not cell["outputs"] and cell["execution_count"] is None for cell in code)
    assert sum("parameters" in cell["metadata"].get("tags", []) for cell in code) == 1
    assert all(len(cell["source"]) < 12 for cell in code)  # thin: logic lives in auditlib


@pytest.mark.slow
def test_unit_notebook_runs_in_papermill_and_exports_a_self_contained_memo(tmp_path):
    result = make_memo(ROOT / "params" / "jiangmen-2021.yaml", tmp_path, ROOT)
    assert result.ok, result.error
    executed = json.loads((tmp_path / "notebooks" / "jiangmen-2021.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["parameters"]["unit"] == "jiangmen"
    assert any(cell.get("outputs") for cell in executed["cells"] if cell["cell_type"] == "code")
    html = (tmp_path / "jiangmen-2021.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    assert "<script" not in html.lower()
    for external in ("require.js", "mathjax", "mermaid", "cdn.", "unpkg", "https://", "<link"):
        assert external not in html.lower(), external
    assert "unit =" not in html and "memo_from_params" not in html  # no code cells in the memo
    assert "score.above_cap" in html and "98.5" in html
    assert (tmp_path / "jiangmen-2021.docx").is_file()  # the Word memo beside the HTML one
    data = json.loads((tmp_path / "data" / "jiangmen-2021.json").read_text(encoding="utf-8"))
    assert data["counts"] == result.counts


@pytest.mark.slow
def test_a_failing_notebook_is_kept_and_reported(tmp_path):
    params = tmp_path / "missing-2020.yaml"
    params.write_text("unit: missing\nyear: 2020\nreport_path: data/nowhere.txt\n", encoding="utf-8")
    result = make_memo(params, tmp_path / "out", ROOT)
    assert not result.ok and result.error_type == "ReportNotFound"
    assert "找不到报告文件" in result.error
    assert (tmp_path / "out" / "notebooks" / "missing-2020.ipynb").is_file()
    assert not (tmp_path / "out" / "missing-2020.html").exists()


@pytest.mark.slow
def test_unit_notebook_computes_the_memo_itself_when_run_by_hand(tmp_path):
    """Without a worker's rendered parts, as in JupyterLab, the notebook reads, checks and saves on its own."""
    from auditlib.execute import run_notebook

    executed = run_notebook(ROOT / "notebooks" / "unit_audit.ipynb", tmp_path / "run.ipynb",
                            {"unit": "qionghai", "year": 2021, "report_path": "data/raw/qionghai/2021/qionghai-2021.txt",
                             "output_dir": str(tmp_path), "project_root": str(ROOT)}, cwd=ROOT / "notebooks")
    outputs = [output for cell in json.loads(executed.read_text(encoding="utf-8"))["cells"]
               for output in cell.get("outputs", [])]
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "section.empty" in html and "text.duplicate" in html
    assert json.loads((tmp_path / "data" / "qionghai-2021.json").read_text(encoding="utf-8"))["counts"]["medium"] == 3
    from docx import Document

    from auditlib.record import AuditRecord
    from auditlib.render import Memo

    # The notebook's last cell wrote the memo files the batch writes: the HTML page and the Word memo.
    record = AuditRecord.from_dict(json.loads((tmp_path / "data" / "qionghai-2021.json").read_text(encoding="utf-8")))
    page = (tmp_path / "qionghai-2021.html").read_text(encoding="utf-8")
    assert page == Memo(record, tmp_path).page()  # the page is the stored record's memo
    word = "\n".join(p.text for p in Document(str(tmp_path / "qionghai-2021.docx")).paragraphs)
    assert record.verdict in word and all(f.message in word for f in record.findings)
