"""Reader for tests/data/align_corpus.txt, shared by the splitter and aligner tests."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).parent / "data" / "align_corpus.txt"


def read_corpus() -> list[dict[str, list[str]]]:
    """Paragraphs translated sentence for sentence: [{"en": [...], "fr": [...]}, ...]."""
    paragraphs: list[dict[str, list[str]]] = [{"en": [], "fr": []}]
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if paragraphs[-1]["en"]:
                paragraphs.append({"en": [], "fr": []})
            continue
        lang, sentence = line.split(": ", 1)
        paragraphs[-1][lang].append(sentence)
    return [p for p in paragraphs if p["en"]]
