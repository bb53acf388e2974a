"""tqe: align, score, flag and report English–French translations.

>>> import tqe
>>> result = tqe.score("source.en.txt", "translation.fr.txt", ["reference.fr.txt"])
>>> result.segments  # one row per aligned segment, with bleu / chrf columns
"""

from __future__ import annotations

import importlib
from typing import Any

from tqe.version import __version__

#: public names and the modules they live in, imported on first use so that ``import tqe``
#: and ``tqe --help`` do not load pandas, numpy or the checks
_EXPORTS = {
    "compare": "tqe.compare",
    "FlagConfig": "tqe.config",
    "RunConfig": "tqe.config",
    "load_config": "tqe.config",
    "build_segments": "tqe.document",
    "load_segments": "tqe.document",
    "load_table_segments": "tqe.document",
    "TqeError": "tqe.errors",
    "ScoreResult": "tqe.model",
    "flag_result": "tqe.pipeline",
    "run": "tqe.pipeline",
    "score": "tqe.pipeline",
    "score_segments": "tqe.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(_EXPORTS[name])
        # tqe.compare is a package that calls compare(): the package itself is the export
        value = module if module.__name__ == f"tqe.{name}" else getattr(module, name)
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
    "compare",
    "flag_result",
    "load_config",
    "load_segments",
    "load_table_segments",
    "run",
    "score",
    "score_segments",
]
