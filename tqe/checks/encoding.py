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
#: every sequence ``ftfy.badness.is_bad`` looks for holds one of these characters (for each of
#: its patterns, the characters of one of its positions; tests/test_checks_encoding.py checks
#: this against the installed ftfy)
MOJIBAKE_CHARACTERS = (
    "\x80-\x9f\xa1-\xac\xae-\xb3\xb5\xb6\xb8-\xd1\xd7-\xd9\xdc\xdd\xf7\u0100-\u0102\u0104\u0106"
    "\u010c\u010e\u0110\u0112\u0116\u0118\u011a\u011e\u0122\u012a\u0130\u0136\u0139\u013b\u013d"
    "\u0141\u0143\u0145\u0147\u0152\u0153\u0158\u015a\u015e\u0160\u0162\u0164\u016e\u0170\u0178"
    "\u0179\u017b\u017d\u0192\u02c6\u02c7\u02d8\u02db-\u02dd\u0384\u0385\u0392\u0393\u039e\u039f"
    "\u03b2\u0412\u0413\u0420\u0421\u0432\u0490\u2018\u201a\u201c-\u201e\u2020-\u2022\u2030\u2039"
    "\u203a\u2044\u20a7\u20ac\u2116\u2122\u2202\u2206\u220f\u2211\u221a\u221e\u2229\u222b\u2248"
    "\u2260\u2261\u2264\u2265\u2310\u2502\u250c\u2510\u2518\u251c\u2524\u252c\u253c\u2550-\u256c"
    "\u2580\u2584\u2588\u258c\u2590-\u2593\u25ca\uf8ff\ufffd"
)
#: a text with none of these has no problem :func:`_problems` can find
_SUSPECT = re.compile("[" + MOJIBAKE_CHARACTERS + "\ufffd" + _CONTROL.pattern[1:-1] + "]")


def _problems(text: str) -> list[str]:
    if not _SUSPECT.search(text):  # nearly every text: no need to run ftfy's many patterns
        return []
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
