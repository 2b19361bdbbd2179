"""render: the per-unit memo and the portfolio index as escaped HTML, and their export to one HTML file."""

from auditlib.render.memo import PARTS, Memo, build_memo, memo_from_params

__all__ = ["PARTS", "Memo", "build_memo", "memo_from_params"]
