"""The HTML pages' Jinja environment: templates and the one stylesheet in ``tqe/report/templates/``.

Autoescaping is on for every template, so any value a template prints is escaped unless it is
``Markup`` made here from the package's own files (the stylesheet and the script). Each page is
one self-contained file: CSS and script inline, allowed by hash in a Content-Security-Policy
that forbids any network access.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib import resources
from typing import Any


@cache
def asset(name: str) -> str:
    """The text of a file in ``tqe/report/templates/``."""
    return resources.files("tqe.report").joinpath("templates", name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@cache
def environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("tqe.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(template: str, *, script: str | None = None, **context: Any) -> str:
    """Render a page template (it extends ``base.html``) with the stylesheet inline and, when
    given, the named script from the templates folder."""
    from markupsafe import Markup

    style = asset("report.css")
    code = asset(script) if script else None
    policy = f"default-src 'none'; style-src {csp_hash(style)}; "
    if code is not None:
        policy += f"script-src {csp_hash(code)}; "
    policy += "img-src 'none'; base-uri 'none'; form-action 'none'"
    return environment().get_template(template).render(
        policy=policy, style=Markup(style), script=Markup(code) if code is not None else None, **context
    )
