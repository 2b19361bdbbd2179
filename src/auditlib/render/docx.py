"""The Word memo (审核意见书) of one unit and year, from its audit record, with python-docx.

The HTML memo is the shared, offline page; this one is for the auditor to edit and sign: the verdict and
recommendation, the key figures with where each comes from, every finding with its quoted evidence and review
status, and lines for the reviewer's signature. Plain Word styles (Heading, Table Grid), so it edits as any
document does. Report text is inserted as text, never as fields or formulas.
"""

from __future__ import annotations

from pathlib import Path

from auditlib.iorw import write_bytes_atomic
from auditlib.record import RECOMMENDATIONS, SEVERITY_ZH, AuditRecord
from auditlib.render.html import KIND_ZH, amount, lines_text, place, rule_label, strip_residue

FONT = "SimSun"  # 宋体: present on every Chinese Windows machine; Word substitutes where it is not
HEADING_FONT = "SimHei"


def _control_free(text: str) -> str:
    """Text Word's XML can hold: control characters (other than tab and newline) dropped."""
    return "".join(c for c in str(text) if c in "\t\n" or ord(c) >= 32)


def docx_bytes(record: AuditRecord) -> bytes:
    """The 审核意见书 as .docx bytes."""
    import io

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    for name, font in (("Normal", FONT), ("Title", HEADING_FONT), ("Heading 1", HEADING_FONT),
                       ("Heading 2", HEADING_FONT)):
        style = document.styles[name]
        style.font.name = font
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    document.styles["Normal"].font.size = Pt(11)

    def text(value) -> str:
        return _control_free("" if value is None else value)

    year = record.fiscal_year or record.year
    title = document.add_heading(text(f"{record.display_name} {year}年度绩效自评报告审核意见书"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = [f"地区：{place(record.region, record.province) or '未载明'}", f"类型：{KIND_ZH.get(record.kind)}"]
    if record.project_name:
        meta.append(f"项目：{record.project_name}")
    meta += [f"来源文件：{record.source_name}", f"审核日期：{record.run_date[:10]}"]
    document.add_paragraph(text("；".join(meta)))

    document.add_heading("一、审核结论", level=1)
    document.add_paragraph(text(record.verdict))
    paragraph = document.add_paragraph("审核意见：")
    paragraph.add_run(text(record.recommendation)).bold = True
    paragraph.add_run(text(f"。依据：{RECOMMENDATIONS.get(record.recommendation, '')}"))
    counts = "，".join(f"{SEVERITY_ZH[s]}风险{record.counts.get(s, 0)}项" for s in ("high", "medium", "low"))
    reviews = "，".join(f"{status}{count}项" for status, count in record.review_counts.items())
    document.add_paragraph(text(f"审核发现：{counts}。复核情况：{reviews}。"))

    document.add_heading("二、关键数据", level=1)
    figures = document.add_table(rows=1, cols=4)
    figures.style = "Table Grid"
    for cell, header in zip(figures.rows[0].cells, ("项目", "数值", "来源", "复核")):
        cell.text = header
    for figure in record.figures:
        if figure.basis == "computed":
            source = "计算：" + lines_text(figure.lines) + figure.how
        elif figure.where is not None and figure.value is not None:
            source = f"报告所述：第{figure.where.line}行 “{strip_residue(figure.where.quote, escape=False)}”" \
                if figure.where.line else "报告所述"
        else:
            source = ""
        review = "；".join(f"⚠ {rule_label(f)}" for _, f in record.figure_findings(figure)) if figure.flagged else \
            {"checked": "复核未发现问题", "unverified": "未能核实"}.get(figure.status, "")
        review = "；".join(filter(None, [figure.reviewed, review]))
        cells = figures.add_row().cells
        for cell, value in zip(cells, (figure.label, amount(figure.value, figure.unit) if figure.value is not None
                                       else "报告未载明", source, review)):
            cell.text = text(value)

    document.add_heading("三、审核发现", level=1)
    if not record.findings:
        document.add_paragraph("无。")
    for index, finding in enumerate(record.findings):
        review = record.review_of(index)
        document.add_heading(text(f"{index + 1:02d}　[{SEVERITY_ZH.get(finding.severity, finding.severity)}] "
                                  f"{rule_label(finding)}"), level=2)
        document.add_paragraph(text(finding.message))
        where = "，".join(filter(None, [f"第{finding.line}行" if finding.line else "", finding.location,
                                       f"章节 {finding.section}" if finding.section else ""]))
        if where:
            document.add_paragraph(text(f"位置：{where}"))
        evidence = strip_residue(finding.evidence, escape=False)
        if evidence:
            quote = document.add_paragraph(text(f"原文：“{evidence}”"))
            quote.paragraph_format.left_indent = Pt(18)
        status = "，".join(filter(None, [review.status, review.reviewer, review.decided_at[:10], review.note]))
        document.add_paragraph(text(f"复核状态：{status}（底稿编号 {record.workpaper_ref(index)}）"))

    document.add_heading("四、审核人意见", level=1)
    document.add_paragraph("")
    document.add_paragraph("审核人：＿＿＿＿＿＿＿＿　　复核人：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(record: AuditRecord, path: str | Path) -> Path:
    """Write the 审核意见书 to path (atomically)."""
    return write_bytes_atomic(path, docx_bytes(record))
