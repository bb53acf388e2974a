"""The HTML report in a real headless Chromium: hostile segment text stays text, the report's
own script runs. Needs Debian's chromium (``apt-get install chromium``); skipped without it."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tqe.report import build_table_report
from tqe.report.html import render_html

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

TITLE_PAYLOAD = "<script>document.title='pwned'</script>"
IMG_PAYLOAD = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
ATTR_PAYLOAD = "\" onmouseover=\"alert(1)"


@dataclass(frozen=True)
class _Result:
    corpus_score: float
    signature: str


def _hostile_report():
    segments = pd.DataFrame(
        [
            dict(id="1.1", paragraph=1, link="1-1", source=f"Hello {TITLE_PAYLOAD} world.",
                 translation=f"Bonjour {IMG_PAYLOAD} monde.", references=("Bonjour le monde.",),
                 chrf=40.0, flags=[{"check": "markup", "severity": "critical", "message": f"lost {TITLE_PAYLOAD}"}]),
            dict(id="1.2", paragraph=1, link="1-1", source="Fine.", translation="Bien.",
                 references=("Bien.",), chrf=100.0, flags=[]),
            dict(id="2.1", paragraph=2, link="1-1", source="Number 3.", translation=f"Numéro 4 {ATTR_PAYLOAD}.",
                 references=("Numéro 3.",), chrf=55.0,
                 flags=[{"check": f"num{ATTR_PAYLOAD}", "severity": "minor", "message": IMG_PAYLOAD}]),
        ]
    )
    return build_table_report(
        segments,
        {"chrf": _Result(60.0, "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.5.1")},
        title="Browser check",
        inputs={"source": "a.en.txt", "translation": "a.fr.txt"},
        show_all=True,
        thresholds={"chrf": 50.0},
    )


def _chromium(tmp_path: Path, *args: str) -> str:
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}", *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def report_page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    page = folder / "report.html"
    page.write_text(render_html(_hostile_report()), encoding="utf-8")
    return page


def _dump(tmp_path: Path, page: Path) -> str:
    return _chromium(tmp_path, "--virtual-time-budget=2000", "--dump-dom", page.as_uri())


class _EventHandlers(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]


def _title(dom: str) -> str:
    match = re.search(r"<title>(.*?)</title>", dom, re.DOTALL)
    assert match
    return html.unescape(match.group(1))


def _assert_payloads_inert(dom: str) -> None:
    assert _title(dom) == "Browser check"  # the <script> payload would have set it to 'pwned'
    assert not re.search(r"<body[^>]*data-pwned", dom)  # the onerror payload would set this
    assert "<img" not in dom
    handlers = _EventHandlers()
    handlers.feed(dom)
    assert handlers.found == []  # no element gained an on* attribute from the segment text
    assert len(re.findall(r"<script\b", dom)) == 1  # only the report's own script
    assert html.escape(TITLE_PAYLOAD, quote=False) in dom
    assert html.escape("<img src=x onerror=", quote=False) in dom


def test_hostile_text_stays_text_and_report_script_runs(tmp_path, report_page):
    dom = _dump(tmp_path, report_page)
    _assert_payloads_inert(dom)
    # the report's script reveals the filter form and counts the items it shows
    assert '<form id="controls">' in dom or re.search(r'<form id="controls"(?![^>]*hidden)', dom)
    assert "Showing 3 of 3 segments" in dom


def test_escaping_alone_keeps_payloads_inert_without_the_content_policy(tmp_path, report_page):
    # Remove the Content-Security-Policy so that only escaping stands between payload and page.
    page = tmp_path / "no-csp.html"
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", report_page.read_text(encoding="utf-8"))
    assert "Content-Security-Policy" not in text
    page.write_text(text, encoding="utf-8")
    dom = _dump(tmp_path, page)
    _assert_payloads_inert(dom)
    assert "Showing 3 of 3 segments" in dom


def test_script_filters_by_severity_and_sorts_by_score(tmp_path, report_page):
    # Preselect controls in the markup (as a user would click them); the script applies them on load.
    text = report_page.read_text(encoding="utf-8")
    text = text.replace('<option value="asc:chrf">', '<option value="asc:chrf" selected>')
    text = text.replace('name="severity" value="minor" checked>', 'name="severity" value="minor">')
    page = tmp_path / "preset.html"
    page.write_text(text, encoding="utf-8")
    dom = _dump(tmp_path, page)
    articles = re.findall(r'<article class="item [^"]*" id="seg-([^"]+)"([^>]*)>', dom)
    assert [seg_id for seg_id, _ in articles] == ["1.1", "2.1", "1.2"]  # chrF 40, 55, 100
    hidden = {seg_id for seg_id, attrs in articles if "hidden" in attrs}
    assert hidden == {"2.1"}  # its only flag is minor
    assert "Showing 2 of 3 segments" in dom


def test_payloads_do_run_when_not_escaped(tmp_path):
    # The check above must be able to fail: unescaped, the same payloads run in this browser.
    page = tmp_path / "raw.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><title>Browser check</title></head><body>"
        f"<p>{TITLE_PAYLOAD}</p><p>{IMG_PAYLOAD}</p></body></html>",
        encoding="utf-8",
    )
    dom = _dump(tmp_path, page)
    assert _title(dom) == "pwned"
    assert re.search(r"<body[^>]*data-pwned", dom)


def test_screenshot_renders(tmp_path, report_page):
    shot = tmp_path / "report.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1366,900", report_page.as_uri())
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_comparison_page_sorts_by_change_then_by_document_order(tmp_path):
    from tqe.compare import compare_files
    from tqe.pipeline import score
    from tqe.report.comparison import comparison_report

    samples = Path(__file__).resolve().parent.parent / "references"

    def score_file(path):
        return score(samples / "source.en.txt", path, [samples / "reference.fr.txt"], metrics=["bleu", "chrf"],
                     flags=True)

    comparison = compare_files(score_file, samples / "translation.v1.fr.txt", samples / "translation.v2.fr.txt",
                               has_references=True, metrics=["bleu", "chrf"])
    text = render_html(comparison_report(comparison))
    listed = re.findall(r'<article class="item [^"]*" id="seg-([^"]+)"', text)

    def ids(dom: str) -> list[str]:
        return re.findall(r'<article class="item [^"]*" id="seg-([^"]+)"', dom)

    page = tmp_path / "by-change.html"
    page.write_text(text, encoding="utf-8")
    assert ids(_dump(tmp_path, page)) == listed  # opens in the order it says: change, regressed first
    page = tmp_path / "by-document.html"
    page.write_text(text.replace('<option value="doc">', '<option value="doc" selected>'), encoding="utf-8")
    by_document = ids(_dump(tmp_path, page))
    assert sorted(by_document) == sorted(listed) and by_document != listed
    assert by_document == sorted(listed, key=lambda seg: tuple(int(part) for part in seg.split(".")))
