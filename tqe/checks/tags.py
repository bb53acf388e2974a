"""``tags``: inline tags and placeholders of a bilingual file (XLIFF, TMX, PO) lost, added,
duplicated or misnested in the translation, as Xbench and CheckMate check them.

The tokens come from :mod:`tqe.io.markup` (``<g id=1>``, ``</g id=1>``, ``<x id=2/>``,
``{0}``, ``%s``…). Missing, extra and duplicated tokens are major: a lost placeholder
crashes or garbles the software string, a lost tag breaks the formatting. A different order
is normal in French (``{0} of {1}`` may become ``{1} … {0}``) and is not flagged, unless a
closing tag now comes before its opening tag, which breaks the markup (major).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from tqe.checks.base import CheckContext, Flag, quoted

TAGS_CHECK = "tags"


def _misnested(tokens: Sequence[str]) -> list[str]:
    """Closing tokens that come before their opening token."""
    opened: Counter[str] = Counter()
    wrong = []
    for token in tokens:
        if token.startswith("</"):
            name = token[2:-1]
            if opened[name]:
                opened[name] -= 1
            else:
                wrong.append(token)
        elif not token.endswith("/>") and token.startswith("<") and not token.startswith("<?"):
            opened[token[1:-1]] += 1
    return wrong


def check_tags(source_tags: Sequence[str], translation_tags: Sequence[str], translation: str,
               ctx: CheckContext) -> list[Flag]:
    """Tags and placeholders of the source that the translation lost, added, repeated or broke."""
    source_tags, translation_tags = tuple(source_tags or ()), tuple(translation_tags or ())
    if not source_tags and not translation_tags:
        return []
    if not translation.strip() and not translation_tags:
        return []  # an empty translation is the ``empty`` check's business
    wanted, found = Counter(source_tags), Counter(translation_tags)
    missing = sorted((wanted - found).elements())
    surplus = found - wanted
    duplicated = sorted(token for token in surplus.elements() if token in wanted)
    added = sorted(token for token in surplus.elements() if token not in wanted)
    parts = []
    if missing:
        parts.append(f"the source's {quoted(missing)} {'is' if len(missing) == 1 else 'are'} missing")
    if duplicated:
        parts.append(f"{quoted(duplicated)} {'is' if len(duplicated) == 1 else 'are'} repeated")
    if added:
        parts.append(f"the translation adds {quoted(added)}, not in the source")
    if not parts:
        broken = [token for token in _misnested(translation_tags) if token not in _misnested(source_tags)]
        if broken:
            parts.append(f"{quoted(broken)} now closes before it opens")
    return [ctx.flag(TAGS_CHECK, "major", "tags and placeholders: " + "; ".join(parts))] if parts else []
