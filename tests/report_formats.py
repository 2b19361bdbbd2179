"""Build the files auditors receive (.docx with real tables and automatic numbering, .pdf with a text layer and
ruled tables, .xlsx, saved web pages) from a text report, inside the test run.

A text report's tables are its rows of tab- or |-separated cells and its runs of tab-led one-cell lines;
everything else is a paragraph. Headings numbered 一、 （一） 1. get Word's automatic numbering in the .docx,
so their numbers are not in the paragraph text and the reader has to render them.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from auditlib.outline import parse_numbering

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
NUMBERED_STYLES = {"cn": 0, "cn_paren": 1, "arabic": 2}


def _cells(line: str) -> list[str] | None:
    if "\t" in line.strip("\t") and not line.startswith("\t"):
        cells = line.split("\t")
    elif line.count("|") >= 2:
        cells = line.strip().strip("|").split("|")
    else:
        return None
    cells = [cell.strip() for cell in cells]
    return cells if sum(1 for cell in cells if cell) >= 2 else None


def structure(text: str) -> list[tuple[str, object]]:
    """The report as ("paragraph", text) and ("table", rows) items, in order: its logical lines, without the
    residue a text export leaves (bookmarks, page numbers, paragraphs cut by a page break)."""
    from auditlib.ingest import parse_bytes

    items: list[tuple[str, object]] = []
    lines = [("\t" + line.text if line.cell else line.text) for line in parse_bytes(text.encode("utf-8")).lines]
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("\t") or _cells(line):
            rows: list[list[str]] = []
            while index < len(lines):
                line = lines[index]
                if line.startswith("\t"):
                    row = []
                    while index < len(lines) and lines[index].startswith("\t"):
                        row.append(lines[index].strip("\t \u3000"))
                        index += 1
                    rows.append(row)
                elif _cells(line):
                    rows.append(_cells(line))
                    index += 1
                elif not line.strip():
                    index += 1
                else:
                    break
            rows = [row for row in rows if any(row)]
            if rows:
                items.append(("table", rows))
            continue
        items.append(("paragraph", line))
        index += 1
    return items


# --- Word -------------------------------------------------------------------------------------------------

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]


def _add_numbering(document) -> str:
    """A Chinese outline list (一、 （一） 1.) in numbering.xml; returns its numId."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:suff w:val="nothing"/></w:lvl>' for i, (fmt, text) in enumerate(_LEVELS))
    abstract = parse_xml(f'<w:abstractNum xmlns:w="{_W_NS}" w:abstractNumId="90">{levels}</w:abstractNum>')
    num = parse_xml(f'<w:num xmlns:w="{_W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find(f"{{{_W_NS}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return "90"


def _number_paragraph(paragraph, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml

    pPr = paragraph._p.get_or_add_pPr()
    pPr.append(parse_xml(f'<w:numPr xmlns:w="{_W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def to_docx(text: str, automatic_numbering: bool = True) -> bytes:
    """A Word document: numbered headings with automatic numbering (or typed, as many offices do, which
    LibreOffice keeps exactly), tables as Word tables, a running footer."""
    import docx

    document = docx.Document()
    num_id = _add_numbering(document)
    document.sections[0].footer.paragraphs[0].text = "内部资料 第 1 页"
    document.sections[0].header.paragraphs[0].text = "页眉：绩效自评材料"
    for entry in ("目录 一、项目概况 1", "目录 二、存在问题 3"):  # a generated table of contents
        document.add_paragraph(entry, style=_toc_style(document))
    for kind, content in structure(text):
        if kind == "table":
            width = max(len(row) for row in content)
            table = document.add_table(rows=len(content), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(content):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            continue
        numbering = parse_numbering(content) if content.strip() else None
        if (automatic_numbering and numbering and numbering.style in NUMBERED_STYLES and numbering.rest
                and _heading_like(numbering.rest)):
            paragraph = document.add_paragraph(numbering.rest)
            _number_paragraph(paragraph, num_id, NUMBERED_STYLES[numbering.style])
        else:
            document.add_paragraph(content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _toc_style(document):
    from docx.enum.style import WD_STYLE_TYPE

    names = {style.name for style in document.styles}
    return document.styles["toc 1"] if "toc 1" in names else document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)


def _heading_like(rest: str) -> bool:
    return len(rest) <= 30 and not re.search(r"[。；;]", rest)


# --- Excel and HTML --------------------------------------------------------------------------------------


def to_xlsx(text: str) -> bytes:
    """A workbook: one sheet holding the report, a row per paragraph, a table's cells across columns."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "自评报告"
    row_number = 1
    for kind, content in structure(text):
        rows = content if kind == "table" else [[content]]
        for row in rows:
            for column, value in enumerate(row, start=1):
                sheet.cell(row_number, column, value)
            row_number += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with_hidden_helpers() -> bytes:
    """A funds block whose helper column (a formula's working, hidden inside the table) and one row are hidden:
    the unit printed neither."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["项目资金（万元）", "辅助", "全年预算数", "全年执行数", "执行率"],
                ["年度资金总额", 999, 120, 108, 0.9], ["旧口径", 1, 2, 3, 4], ["其中：财政拨款", 998, 100, 90, 0.9]):
        sheet.append(row)
    sheet.column_dimensions["B"].hidden = True
    sheet.row_dimensions[3].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_html(text: str, charset: str = "utf-8") -> bytes:
    """A government-site page: navigation, a breadcrumb, the article with its tables, a footer and scripts."""
    body = []
    for kind, content in structure(text):
        if kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                           for row in content)
            body.append(f"<table border='1'>{rows}</table>")
        elif content.strip():
            body.append(f"<p>{html.escape(content)}</p>")
    page = (f"<!DOCTYPE html><html><head><meta charset='{charset}'><title>政务公开</title>"
            "<script>var tracker = '一、统计代码';</script><style>p{margin:0}</style></head><body>"
            "<div class='nav'><a href='/'>首页</a> <a href='/gk'>政务公开</a> 一、网站导航</div>"
            "<div class='breadcrumb'>当前位置：首页 &gt; 财政预决算</div>"
            f"<div id='content'><div class='article'>{''.join(body)}</div></div>"
            "<div class='footer'>主办单位：某某网站 备案号 12345 二、联系我们</div></body></html>")
    return page.encode(charset)


# --- PDF ---------------------------------------------------------------------------------------------------


def to_pdf(text: str) -> bytes:
    """A PDF with a text layer: paragraphs wrapped to the page width, tables ruled, a running header and page
    numbers on every page."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self):
            self.set_font("cjk", size=8)
            self.cell(0, 6, "绩效自评材料（内部）", align="C")
            self.ln(10)

        def footer(self):
            self.set_y(-12)
            self.set_font("cjk", size=8)
            self.cell(0, 6, f"- {self.page_no()} -", align="C")

    pdf = Report(format="A4")
    pdf.add_font("cjk", fname=str(CJK_FONT))
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("cjk", size=10.5)
    for kind, content in structure(text):
        if kind == "table":
            width = max(len(row) for row in content)
            with pdf.table(col_widths=[1] * width, first_row_as_headings=False, line_height=6) as table:
                for row in content:
                    cells = table.row()
                    for cell in row + [""] * (width - len(row)):
                        cells.cell(cell)
            pdf.ln(2)
        elif content.strip():
            pdf.multi_cell(0, 6, content.strip(), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def to_scanned_pdf(text: str) -> bytes:
    """A scanned PDF: each page an image of the report's lines (tables as rows of cells), no text layer."""
    import textwrap

    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(CJK_FONT), 26)
    rows: list[str] = []
    for kind, content in structure(text):
        for line in (["  ".join(row) for row in content] if kind == "table" else [content]):
            rows.extend(textwrap.wrap(line, 40) or [""])
    pdf = FPDF(format="A4")
    per_page = 40
    for start in range(0, len(rows), per_page):
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        for index, row in enumerate(rows[start:start + per_page]):
            draw.text((90, 100 + index * 40), row, font=font, fill=0)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pdf.add_page()
        pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=210, h=297)
    return bytes(pdf.output())
