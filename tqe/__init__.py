"""tqe: align, score, flag and report English–French translations.

>>> import tqe
>>> result = tqe.score("source.en.txt", "translation.fr.txt", ["reference.fr.txt"])
>>> result.segments  # one row per aligned segment, with bleu / chrf columns
"""

from tqe.config import FlagConfig, load_config
from tqe.document import build_segments, load_segments, load_table_segments
from tqe.errors import TqeError
from tqe.pipeline import ScoreResult, flag_result, score, score_segments

__version__ = "0.1.0"

__all__ = [
    "FlagConfig",
    "ScoreResult",
    "TqeError",
    "__version__",
    "build_segments",
    "flag_result",
    "load_config",
    "load_segments",
    "load_table_segments",
    "score",
    "score_segments",
]
