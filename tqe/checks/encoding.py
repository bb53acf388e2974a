"""``encoding``: mojibake and broken characters ("Ã©" for "é", "�").

Mojibake is detected with ftfy (``ftfy.badness.is_bad``), and ``ftfy.fix_encoding`` gives
the text the translator probably meant, which the message quotes. ftfy is used rather than
a home-made list of bad byte pairs because it knows the many encodings text passes through
and is careful not to touch correct accented French. Replacement characters (U+FFFD) and
control characters are found directly: ftfy cannot know what they stood for.
"""

from __future__ import annotations

import re

from tqe.checks.base import CheckContext, Flag, quoted

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _problems(text: str) -> list[str]:
    import ftfy
    from ftfy import badness

    problems = []
    if badness.is_bad(text):
        pairs = []
        for word in text.split():
            fixed = ftfy.fix_encoding(word)
            if fixed != word:
                pairs.append(f"'{word}' (probably '{fixed}')")
        problems.append("garbled characters " + (", ".join(pairs[:3]) if pairs else f"(probably '{ftfy.fix_encoding(text)}')"))
    broken = [word for word in text.split() if "\ufffd" in word]
    if broken:
        problems.append(f"replacement characters (�) where text was lost: {quoted(broken, 3)}")
    if _CONTROL.search(text):
        problems.append("invisible control characters")
    return problems


def check_encoding(source: str, translation: str, ctx: CheckContext) -> list[Flag]:
    """Broken encoding in the translation (major), or in the source (major: the input file
    was damaged before translation, so every metric on this segment is unreliable)."""
    flags = []
    for side, text in (("translation", translation), ("source", source)):
        problems = _problems(text) if text.strip() else []
        if problems:
            flags.append(ctx.flag("encoding", "major", f"the {side} has " + "; ".join(problems)))
    return flags
