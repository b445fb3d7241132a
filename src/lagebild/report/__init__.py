"""The offline HTML report: one self-contained file, no scripts, every article string escaped.

Jinja2 renders with autoescaping on, so article text (untrusted) can never become markup; the
page carries a Content-Security-Policy that forbids scripts and remote loads as a second line.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from lagebild.model import Article, Quote
from lagebild.outlets import OutletRegistry, load_outlets
from lagebild.store import Edge, Store, Story
from lagebild.version import __version__

__all__ = ["render_report", "render_articles", "quote_index", "actor_index", "timeline_section"]


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


def speaker_key(quote: Quote) -> tuple[str, str]:
    """(key, display name) grouping a quote's speaker: the actor id when linked, else the name."""
    if quote.actor_id and not quote.actor_id.startswith("doc:"):
        return quote.actor_id, _actor_names([quote.actor_id]).get(quote.actor_id, quote.speaker_name or "")
    name = quote.speaker_name or quote.speaker or "unattributed"
    return "name:" + name.lower(), name


def quote_index(articles: list[Article]) -> list[dict[str, Any]]:
    """Who said what: per speaker the quotes with the article's date and outlet, most quoted first."""
    index: dict[str, dict[str, Any]] = {}
    for article in articles:
        date = article.published.value if article.published else "undated"
        for quote in article.quotes:
            key, name = speaker_key(quote)
            entry = index.setdefault(key, {"key": key, "name": name, "quotes": []})
            entry["quotes"].append(
                {
                    "quote": quote,
                    "date": date,
                    "outlet": article.outlet or "unknown outlet",
                    "article": article.id,
                }
            )
    for entry in index.values():
        entry["quotes"].sort(key=lambda q: q["date"])
    unattributed = [e for e in index.values() if e["key"] == "name:unattributed"]
    named = sorted(
        (e for e in index.values() if e["key"] != "name:unattributed"),
        key=lambda e: (-len(e["quotes"]), e["name"]),
    )
    return named + unattributed


_KB: dict[str, Any] = {}


def _actor_names(ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    from lagebild.kb import load_kb

    if "kb" not in _KB:
        _KB["kb"] = load_kb()
    kb = _KB["kb"]
    return {i: kb.actors[i].name for i in ids if i in kb.actors}


def timeline_section(articles: list[Article]) -> dict[str, Any]:
    """The timeline view over the articles' events (empty when the events stage did not run)."""
    from lagebild.events import build_timeline
    from lagebild.report.timeline import timeline_view

    if not any(a.events for a in articles):
        return timeline_view([], {})
    if "kb" not in _KB:
        from lagebild.kb import load_kb

        _KB["kb"] = load_kb()
    entries = build_timeline(articles, _KB["kb"])
    ids = [i for e in entries for i in (e.actor, e.target) if i]
    return timeline_view(entries, _actor_names(ids))


def render_articles(
    articles: list[Article],
    stats: dict[str, Any],
    failures: list[tuple[str, str]],
    total: int,
    *,
    edges: list[Edge] | None = None,
    stories: list[Story] | None = None,
    members: dict[str, Article] | None = None,
    registry: OutletRegistry | None = None,
) -> str:
    """The report page. ``edges`` (stored reuse edges) and ``stories`` fill the provenance, stories and
    outlet sections; ``members`` are story members beyond ``articles`` (not shown in full)."""
    from lagebild.report.outlets import outlet_profiles
    from lagebild.report.provenance import provenance_view
    from lagebild.report.stories import stories_view, summary
    from lagebild.report.timeline import highlight_times

    registry = registry if registry is not None else load_outlets()
    shown = {a.id for a in articles}
    provenance = provenance_view(articles, edges or [], registry, shown)
    known = {a.id: a for a in (members or {}).values()} | {a.id: a for a in articles}
    story_views = stories_view(stories or [], known, shown, lambda i: _actor_names([i]).get(i, i))
    template = _env().get_template("report.html")
    return template.render(
        timeline=timeline_section(articles),
        highlight_times=highlight_times,
        actors=actor_index(articles),
        quote_index=quote_index(articles),
        speaker_key=speaker_key,
        article_actors=article_actors,
        provenance=provenance,
        stories=story_views,
        stories_summary=summary(story_views),
        outlets=outlet_profiles(articles, provenance["graph"], registry, _actor_names),
        articles=articles,
        stats=stats,
        failures=failures,
        total=total,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        version=__version__,
    )


def render_report(store: Store, max_articles: int = 500, label_files: Sequence[str] = ()) -> str:
    """The report over ``store``: the first ``max_articles`` articles in full, with the stored edges and
    stories; ``label_files`` are reliability label CSVs (domain, reliability_label, label_source)."""
    from lagebild.outlets import attach_labels, read_labels
    from lagebild.report.stories import member_ids

    stats = store.stats()
    articles = list(store.query(limit=max_articles))
    shown = {a.id for a in articles}
    edges = [e for e in store.edges() if e.source_id in shown and e.target_id in shown]
    stories = store.stories()
    members = {i: a for i in member_ids(stories) if i not in shown and (a := store.get(i)) is not None}
    registry = load_outlets()
    for path in label_files:
        attach_labels(registry, read_labels(path, errors=[]))
    return render_articles(
        articles,
        stats,
        store.failures(),
        stats["articles"],
        edges=edges,
        stories=stories,
        members=members,
        registry=registry,
    )
