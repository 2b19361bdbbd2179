"""render: the per-unit memo and the portfolio index as escaped HTML, and their export to one HTML file."""

from auditlib.render.memo import PARTS, Memo, RenderedMemo, build_memo, memo_for, memo_from_params

__all__ = ["PARTS", "Memo", "RenderedMemo", "build_memo", "memo_for", "memo_from_params"]
