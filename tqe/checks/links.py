"""``urls`` and ``emails``: web addresses and e-mail addresses copied unchanged.

Addresses are found with :func:`tqe.checks.textrules.find_urls` and ``find_emails`` and
compared without the punctuation that follows them ("www.x.org," vs "www.x.org :"), which
differs between English and French sentences.
"""

from __future__ import annotations

from collections import Counter

import tqe.checks.textrules as textrules
from tqe.checks.base import CheckContext, Flag, quoted

_TRAILING = ".,;:!?)]}»\"'’”"


def _may_have(text: str, kind: str) -> bool:
    """Whether ``text`` has what every address of ``kind`` has: ``@``, or ``://`` or ``www.``."""
    if kind == "urls":
        return "://" in text or "www." in text.lower()
    return "@" in text


def _addresses(text: str, kind: str) -> Counter[str]:
    if not _may_have(text, kind):
        return Counter()
    extract = textrules.find_urls if kind == "urls" else textrules.find_emails
    return Counter(address.rstrip(_TRAILING) for address in extract(text))


def _check(kind: str, label: str, source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    if not source.strip() or not translation.strip():
        return []
    if not _may_have(source, kind) and not _may_have(translation, kind):
        return []
    wanted, found = _addresses(source, kind), _addresses(translation, kind)
    missing = sorted((wanted - found).elements())
    added = sorted((found - wanted).elements())
    parts = []
    if missing:
        parts.append(f"{label} {quoted(missing)} from the source {'is' if len(missing) == 1 else 'are'} missing or changed")
    if added:
        parts.append(f"the translation has {quoted(added)}, not in the source")
    return [ctx.flag(kind, "major", "; ".join(parts))] if parts else []


def check_urls(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Web addresses of the source missing or altered in the translation."""
    return _check("urls", "web address", source, translation, ctx)


def check_emails(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """E-mail addresses of the source missing or altered in the translation."""
    return _check("emails", "e-mail address", source, translation, ctx)
