"""Segments of two revisions matched by their source text.

Segments are matched by source text (duplicates in order of occurrence), not by id, so a
source edit shows up as added and removed segments instead of shifting every later id, and a
reordered segment shows up as moved.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict, deque
from typing import Any

import pandas as pd

Pair = tuple[int | None, int | None, bool]
"""``(index_a, index_b, moved)``: row positions in A and B; one side None for an added or
removed segment."""


def _normalise(text: Any) -> str:
    return " ".join(str(text).split())


def match_key(source: Any, translation: Any) -> tuple[str, str]:
    """Source text; a segment with no source (an inserted translation sentence) only matches
    the same inserted text."""
    text = _normalise(source)
    return (text, "") if text else ("", "\0" + _normalise(translation))


def match_segments(a: pd.DataFrame, b: pd.DataFrame) -> list[Pair]:
    """Pair segments of ``a`` and ``b`` (row positions) by source text.

    Duplicated source texts pair in order of occurrence. Returns ``(index_a, index_b, moved)``:
    ``index_a`` None for an added segment, ``index_b`` None for a removed one; ``moved`` marks
    matched pairs outside the longest run of pairs that kept their relative order.
    """
    return match_texts(list(zip(a["source"], a["translation"])), list(zip(b["source"], b["translation"])))


def match_texts(a: list[tuple[Any, Any]], b: list[tuple[Any, Any]]) -> list[Pair]:
    """:func:`match_segments` on ``(source, translation)`` pairs of each revision."""
    waiting: dict[tuple[str, str], deque[int]] = defaultdict(deque)
    for index, (source, translation) in enumerate(a):
        waiting[match_key(source, translation)].append(index)
    matched_a: dict[int, int] = {}
    added: list[int] = []
    for index, (source, translation) in enumerate(b):
        queue = waiting.get(match_key(source, translation))
        if queue:
            matched_a[index] = queue.popleft()
        else:
            added.append(index)
    in_order = _longest_increasing(sorted(matched_a.items()))
    pairs: list[Pair] = [
        (index_a, index_b, index_b not in in_order) for index_b, index_a in matched_a.items()
    ]
    pairs += [(None, index_b, False) for index_b in added]
    used_a = set(matched_a.values())
    pairs += [(index_a, None, False) for index_a in range(len(a)) if index_a not in used_a]
    return _ordered(pairs, matched_a)


def _longest_increasing(pairs_by_b: list[tuple[int, int]]) -> set[int]:
    """The B indices of a longest subsequence of pairs whose A indices increase."""
    tails: list[int] = []  # smallest A index ending an increasing run of each length
    tail_at: list[int] = []  # position in pairs_by_b of that tail
    parent: list[int] = [-1] * len(pairs_by_b)
    for position, (_, index_a) in enumerate(pairs_by_b):
        length = bisect_left(tails, index_a)
        if length == len(tails):
            tails.append(index_a)
            tail_at.append(position)
        else:
            tails[length] = index_a
            tail_at[length] = position
        parent[position] = tail_at[length - 1] if length else -1
    keep: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        keep.add(pairs_by_b[position][0])
        position = parent[position]
    return keep


def _ordered(pairs: list[Pair], matched_a: dict[int, int]) -> list[Pair]:
    """B's order; a removed segment goes right after the B segment matched to its A predecessor."""
    b_of_a = {index_a: index_b for index_b, index_a in matched_a.items()}

    def key(pair: Pair) -> tuple[float, int]:
        index_a, index_b, _ = pair
        if index_b is not None or index_a is None:
            return (float(index_b or 0), 0)
        anchor = -1
        for earlier in range(index_a - 1, -1, -1):
            if earlier in b_of_a:
                anchor = b_of_a[earlier]
                break
        return (anchor + 0.5, index_a)

    return sorted(pairs, key=key)
