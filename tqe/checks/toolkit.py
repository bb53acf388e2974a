"""Calls into translate-toolkit's pofilter checks (``translate.filters.checks.StandardChecker``).

Where one of its checks fits English -> French prose as it is, tqe calls it rather than
rewriting it, and writes its own message (the toolkit's are terse: "Different URLs"). Each
check module says which toolkit check it uses, and where it deliberately does not, why.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from translate.filters.checks import StandardChecker


@lru_cache(maxsize=1)
def standard_checker() -> StandardChecker:
    """One StandardChecker configured for French targets, built on first use."""
    from translate.filters.checks import CheckerConfig, StandardChecker

    return StandardChecker(checkerconfig=CheckerConfig(targetlanguage="fr"))


def passes(check: str, source: str, translation: str) -> bool:
    """Whether the toolkit check named ``check`` (e.g. ``"unchanged"``) accepts the pair."""
    from translate.filters.checks import FilterFailure

    try:
        return bool(getattr(standard_checker(), check)(source, translation))
    except FilterFailure:
        return False
