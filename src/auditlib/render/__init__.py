"""render: the per-unit memo, the portfolio index and the findings workbook, from audit records."""

from auditlib.render.memo import PARTS, Memo, RenderedMemo

__all__ = ["PARTS", "Memo", "RenderedMemo"]
