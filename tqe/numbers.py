"""Numbers as reports and stores want them: a finite float, or None for "no score"."""

from __future__ import annotations

import math
from typing import Any


def finite_or_none(value: Any) -> float | None:
    """``value`` as a float, or None when it is missing, not a number, NaN or infinite.

    Segment scores arrive as floats, numpy scalars, None or NaN (a metric that did not run);
    JSON, SQLite and reports all need the same answer for "no score".
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
