"""The offline HTML report: one self-contained file, no scripts, every article string escaped.

Jinja2 renders with autoescaping on, so article text (untrusted) can never become markup; the
page carries a Content-Security-Policy that forbids scripts and remote loads as a second line.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
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


def actor_index(articles: list[Article]) -> list[dict[str, Any]]:
    """Linked actors across the articles: mentions, articles, outlets and months, most mentioned first."""
    index: dict[str, dict[str, Any]] = {}
    for article in articles:
        month = article.published.value[:7] if article.published else "undated"
        for mention in article.mentions:
            if not mention.actor_id or mention.actor_id.startswith("doc:"):
                continue
            entry = index.setdefault(
                mention.actor_id,
                {
                    "id": mention.actor_id,
                    "name": mention.text,
                    "mentions": 0,
                    "articles": set(),
                    "outlets": set(),
                    "months": Counter(),
                },
            )
            entry["mentions"] += 1
            entry["articles"].add(article.id)
            entry["outlets"].add(article.outlet or "unknown outlet")
            entry["months"][month] += 1
    names = _actor_names([e["id"] for e in index.values()])
    for entry in index.values():
        entry["name"] = names.get(entry["id"], entry["name"])
    return sorted(index.values(), key=lambda e: (-e["mentions"], e["name"]))


def article_actors(article: Article) -> list[tuple[str, int]]:
    """The article's linked actors by name with their mention counts."""
    counts = Counter(m.actor_id for m in article.mentions if m.actor_id and not m.actor_id.startswith("doc:"))
    names = _actor_names(list(counts))
    return [(names.get(a, a), n) for a, n in counts.most_common()]


_KB: dict[str, Any] = {}


def _actor_names(ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    from lagebild.kb import load_kb

    if "kb" not in _KB:
        _KB["kb"] = load_kb()
    kb = _KB["kb"]
    return {i: kb.actors[i].name for i in ids if i in kb.actors}


def render_articles(
    articles: list[Article], stats: dict[str, Any], failures: list[tuple[str, str]], total: int
) -> str:
    template = _env().get_template("report.html")
    return template.render(
        actors=actor_index(articles),
        article_actors=article_actors,
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
