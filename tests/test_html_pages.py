"""The HTML pages share one base template and one stylesheet, escape every value by default
(autoescaping templates) and stay one self-contained file each."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tqe.compare.ranking import rank_runs
from tqe.pipeline import score
from tqe.report._jinja import asset, csp_hash, environment, render_page
from tqe.report.history import history_html
from tqe.report.ranking import ranking_html

SAMPLES = Path(__file__).resolve().parent.parent / "references"
HOSTILE = '<img src=x onerror=alert(1)>" onmouseover="alert(2)'


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def _assert_safe_and_self_contained(page: str) -> None:
    parsed = _parse(page)
    names = [tag for tag, _ in parsed.tags]
    assert "img" not in names and names.count("style") == 1
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page) and "@import" not in page and "url(" not in page
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert style == asset("report.css")  # the one stylesheet, inline
    policy = next(attrs["content"] for tag, attrs in parsed.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy.startswith("default-src 'none'; style-src " + csp_hash(style))
    assert "unsafe-inline" not in policy


def _runs(revision: str, source: str) -> pd.DataFrame:
    return pd.DataFrame([
        dict(run=1, revision="v1", created_at="2026-01-02T10:11:12Z", document="abc", source="a.en.txt", segments=7,
             tqe_version="1", flags_critical=0, flags_major=2, flags_minor=1, bleu=41.25, bleu_change=float("nan")),
        dict(run=2, revision=revision, created_at="2026-01-03T10:11:12Z", document=f"doc {HOSTILE}", source=source,
             segments=7, tqe_version="1", flags_critical=1, flags_major=0, flags_minor=3, bleu=39.0, bleu_change=-2.25),
    ])


def test_history_page_escapes_every_value():
    page = history_html(_runs(HOSTILE, HOSTILE), title=f"History of {HOSTILE}")
    _assert_safe_and_self_contained(page)
    assert "<script" not in page
    text = "".join(_parse(page).text)
    assert text.count(HOSTILE) >= 3  # title (twice: <title> and <h1>) and the revision and source cells
    titles = [attrs["title"] for tag, attrs in _parse(page).tags if tag == "td" and "title" in attrs]
    assert titles[-1] == f"doc {HOSTILE}"  # an attribute value is escaped too, and reads back intact
    assert '<span class="down">(-2.2)</span>' in page


def test_ranking_page_escapes_labels_and_segment_text(tmp_path):
    translation = tmp_path / "hostile.fr.txt"
    lines = (SAMPLES / "translation.v1.fr.txt").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1] + " " + HOSTILE
    translation.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = [score(SAMPLES / "source.en.txt", path, [SAMPLES / "reference.fr.txt"], metrics=["chrf"])
            for path in (SAMPLES / "translation.v3.fr.txt", translation)]
    ranking = rank_runs(runs, ["v3", HOSTILE], metrics=["chrf"])
    page = ranking_html(ranking, title="<b>ranking</b>")
    _assert_safe_and_self_contained(page)
    assert "<script" not in page and "<b>" not in page
    text = "".join(_parse(page).text)
    assert HOSTILE in text and "<b>ranking</b>" in text
    assert page.count('<svg class="ci"') == 1 and "Where the systems disagree most" in page


def test_templates_escape_by_default():
    template = environment().from_string("<p title='{{ value }}'>{{ value }}</p>")
    assert template.render(value="<a>'&\"") == "<p title='&lt;a&gt;&#39;&amp;&#34;'>&lt;a&gt;&#39;&amp;&#34;</p>"


@pytest.mark.parametrize("script", [None, "report.js"])
def test_base_page_allows_only_its_own_style_and_script(script):
    page = render_page("base.html", script=script, title="t")
    policy = re.search(r'content="([^"]*)"', page.split("Content-Security-Policy", 1)[1]).group(1)
    if script:
        assert f"script-src {csp_hash(asset(script))}".replace("'", "&#39;") in policy
        assert page.count("<script>") == 1
    else:
        assert "script-src" not in policy and "<script" not in page
