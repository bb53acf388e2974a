"""Reading inputs and writing outputs safely."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "read_table": "tqe.io.table",
    "read_lines": "tqe.io.text",
    "atomic_write": "tqe.io.write",
    "write_output": "tqe.io.write",
}

__all__ = ["atomic_write", "read_lines", "read_table", "write_output"]


def __getattr__(name: str) -> Any:
    """Import on first use: the table reader needs pandas, the text reader does not."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'tqe.io' has no attribute {name!r}")
