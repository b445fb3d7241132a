"""The offline HTML report: one self-contained file, no scripts, every article string escaped.

Jinja2 renders with autoescaping on, so article text (untrusted) can never become markup; the
page carries a Content-Security-Policy that forbids scripts and remote loads as a second line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from lagebild import __version__
from lagebild.model import Article
from lagebild.store import Store

__all__ = ["render_report", "render_articles"]


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("lagebild", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["paragraphs"] = lambda text: [p for p in (text or "").split("\n\n") if p.strip()]
    return env


def render_articles(
    articles: list[Article], stats: dict[str, Any], failures: list[tuple[str, str]], total: int
) -> str:
    template = _env().get_template("report.html")
    return template.render(
        articles=articles,
        stats=stats,
        failures=failures,
        total=total,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        version=__version__,
    )


def render_report(store: Store, max_articles: int = 500) -> str:
    stats = store.stats()
    articles = list(store.query(limit=max_articles))
    return render_articles(articles, stats, store.failures(), stats["articles"])
