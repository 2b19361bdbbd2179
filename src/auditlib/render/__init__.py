"""render: the per-unit memo, the portfolio index and the findings workbook, from audit records."""

from auditlib.render.memo import PARTS, Memo, RenderedMemo, memo_for, memo_from_params

__all__ = ["PARTS", "Memo", "RenderedMemo", "memo_for", "memo_from_params"]
