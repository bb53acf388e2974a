"""tqe: align, score, flag and report English–French translations.

>>> import tqe
>>> result = tqe.score("source.en.txt", "translation.fr.txt", ["reference.fr.txt"])
>>> result.segments  # one row per aligned segment, with bleu / chrf columns
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public names and the modules they live in, imported on first use so that ``import tqe``
#: and ``tqe --help`` do not load pandas, numpy or the checks
_EXPORTS = {
    "FlagConfig": "tqe.config",
    "RunConfig": "tqe.config",
    "load_config": "tqe.config",
    "build_segments": "tqe.document",
    "load_segments": "tqe.document",
    "load_table_segments": "tqe.document",
    "TqeError": "tqe.errors",
    "ScoreResult": "tqe.pipeline",
    "flag_result": "tqe.pipeline",
    "run": "tqe.pipeline",
    "score": "tqe.pipeline",
    "score_segments": "tqe.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tqe' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])

__all__ = [
    "FlagConfig",
    "RunConfig",
    "ScoreResult",
    "TqeError",
    "__version__",
    "build_segments",
    "flag_result",
    "load_config",
    "load_segments",
    "load_table_segments",
    "run",
    "score",
    "score_segments",
]
