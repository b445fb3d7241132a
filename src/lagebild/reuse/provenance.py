"""The provenance graph: who published, copied, translated or cited what, and original-source chains.

Nodes are articles (``article:<id>``) and outlets or institutions (``outlet:<registry id>`` when
the outlet registry knows the name, else ``name:<normalised name>``). Edges, each with evidence
and a confidence in [0, 1]:

* ``published_by`` article → its outlet (``Article.outlet``; 1.0 when the registry knows it, 0.8 else);
* ``reposts`` / ``near_duplicate`` / ``translates`` article → article, from the store's edges
  table (``source`` copies or translates ``target``; the detector's score is the confidence);
* ``first_published_by`` article → outlet, from provenance notes of kind ``first_published``
  (0.95; the note's date on the edge), ``source`` (0.9) and ``based_on`` (0.8);
* ``quotes_from`` article → article: both print the same direct quotation (at least 8 words) and
  the later one (by date; other outlet) is taken to quote it from the earlier; not for pairs already
  linked as reposts/translations. 0.5, plus 0.1 per further shared quotation, at most 0.9;
* ``cites_as_source`` article → outlet/institution, from the speakers of quotes ("laut X",
  "so X"), from "Nach einer Analyse … von X" / "according to a study by X", when X is a registered
  outlet or reads as an institution (Institut, Agentur, Ministerium, Zeitung, …). Confidence
  0.6 (institution-like) or 0.75 (registered), plus 0.05 per further mention, at most 0.95.

:func:`provenance_chain` follows an article upstream: to the article it reposts or translates
(repeatedly, never twice to the same article), then to the outlet that first published the last
one, then to the source it cites most, e.g. KenFM ← RT DE (first published 2021-02-10) ← RusStrat.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lagebild.errors import LagebildError
from lagebild.model import Article
from lagebild.outlets import OutletRegistry, load_outlets
from lagebild.reuse.sources import NameResolver, Node, cited_sources
from lagebild.store import Edge, Store

__all__ = [
    "Node",
    "GraphEdge",
    "ProvenanceGraph",
    "ChainLink",
    "ProvenanceResult",
    "chain_text",
    "provenance_from_store",
    "build_graph",
    "provenance_chain",
    "quoted_from",
]

ARTICLE_EDGES = ("reposts", "translates", "near_duplicate")
NOTE_CONFIDENCE = {"first_published": 0.95, "source": 0.9, "based_on": 0.8}


@dataclass
class GraphEdge:
    source: str
    target: str
    kind: str
    confidence: float
    evidence: dict[str, Any] = field(default_factory=dict)
    date: str | None = None


@dataclass
class ChainLink:
    """One step of an original-source chain; ``relation`` says how it relates to the previous link."""

    node: str
    kind: str  # article or outlet
    label: str
    relation: (
        str  # "start", "reposts", "translates", "near_duplicate", "first_published_by", "cites_as_source"
    )
    names: list[str] = field(default_factory=list)
    outlet_id: str | None = None
    date: str | None = None
    confidence: float = 1.0
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class ProvenanceGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[GraphEdge] = field(default_factory=list)

    def out_edges(self, node: str, kinds: Iterable[str] | None = None) -> list[GraphEdge]:
        wanted = set(kinds) if kinds is not None else None
        return [e for e in self.edges if e.source == node and (wanted is None or e.kind in wanted)]

    def in_edges(self, node: str, kinds: Iterable[str] | None = None) -> list[GraphEdge]:
        wanted = set(kinds) if kinds is not None else None
        return [e for e in self.edges if e.target == node and (wanted is None or e.kind in wanted)]


def _article_node(article: Article, resolver: NameResolver) -> Node:
    label = article.title or f"article {article.id[:12]}"
    date = article.published.value if article.published else None
    return Node(f"article:{article.id}", "article", label, [label], date=date)


def build_graph(
    articles: Iterable[Article],
    edges: Iterable[Edge] = (),
    registry: OutletRegistry | None = None,
) -> ProvenanceGraph:
    """The provenance graph of ``articles`` and the stored reuse ``edges`` between them."""
    resolver = NameResolver(registry if registry is not None else load_outlets())
    graph = ProvenanceGraph()

    def add_node(node: Node) -> str:
        old = graph.nodes.get(node.id)
        if old is None:
            graph.nodes[node.id] = node
        else:
            old.names.extend(n for n in node.names if n not in old.names)
        return node.id

    for article in articles:
        me = add_node(_article_node(article, resolver))
        if article.outlet:
            outlet = resolver.node(article.outlet)
            if outlet is not None:
                conf = 1.0 if outlet.outlet_id else 0.8
                ev: dict[str, Any] = {"outlet": article.outlet, "evidence": article.outlet_evidence or ""}
                graph.edges.append(
                    GraphEdge(me, add_node(outlet), "published_by", conf, ev, graph.nodes[me].date)
                )
        for note in article.provenance:
            if note.kind not in NOTE_CONFIDENCE:
                continue
            target = resolver.node(note.name)
            if target is None:
                continue
            ev = {"note": note.kind, "name": note.name, "evidence": note.evidence, "url": note.url}
            graph.edges.append(
                GraphEdge(
                    me, add_node(target), "first_published_by", NOTE_CONFIDENCE[note.kind], ev, note.date
                )
            )
        for node, snippets in cited_sources(article, resolver).values():
            base = 0.75 if node.outlet_id else 0.6
            conf = min(0.95, base + 0.05 * (len(snippets) - 1))
            ev = {"mentions": len(snippets), "evidence": snippets[:5]}
            graph.edges.append(GraphEdge(me, add_node(node), "cites_as_source", round(conf, 2), ev))
    linked: set[frozenset[str]] = set()
    for edge in edges:
        src, dst = f"article:{edge.source_id}", f"article:{edge.target_id}"
        if src not in graph.nodes or dst not in graph.nodes:
            continue
        ev = dict(edge.evidence) | {"method": edge.method}
        graph.edges.append(GraphEdge(src, dst, edge.kind, max(0.0, min(1.0, edge.score)), ev))
        linked.add(frozenset((src, dst)))
    graph.edges += [e for e in quoted_from(articles) if frozenset((e.source, e.target)) not in linked]
    return graph


QUOTE_MIN_WORDS = 8


def quoted_from(articles: Iterable[Article]) -> list[GraphEdge]:
    """``quotes_from`` edges: the later of two dated articles of different outlets that print the same
    direct quotation (at least ``QUOTE_MIN_WORDS`` words, compared as lower-cased words)."""
    index: dict[str, dict[str, Article]] = defaultdict(dict)
    texts: dict[str, str] = {}
    for article in articles:
        for quote in article.quotes:
            words = re.findall(r"\w+", quote.text.casefold())
            if quote.kind == "direct" and len(words) >= QUOTE_MIN_WORDS:
                key = " ".join(words)
                index[key][article.id] = article
                texts.setdefault(key, quote.text)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, by_id in index.items():
        items = sorted(by_id.values(), key=lambda a: a.id)
        for k, a in enumerate(items):
            for b in items[k + 1 :]:
                da, db = (x.published.value[:10] if x.published else "" for x in (a, b))
                if not da or not db or da == db or (a.outlet and a.outlet == b.outlet):
                    continue
                later, earlier = (a, b) if da > db else (b, a)
                shared[(later.id, earlier.id)].append(texts[key])
    out = []
    for (src, dst), quotes in sorted(shared.items()):
        conf = round(min(0.9, 0.5 + 0.1 * (len(quotes) - 1)), 2)
        ev: dict[str, Any] = {"shared_quotes": len(quotes), "evidence": quotes[:5]}
        out.append(GraphEdge(f"article:{src}", f"article:{dst}", "quotes_from", conf, ev))
    return out


def _link(graph: ProvenanceGraph, node_id: str, relation: str, edge: GraphEdge | None) -> ChainLink:
    node = graph.nodes[node_id]
    return ChainLink(
        node=node_id,
        kind=node.kind,
        label=node.label,
        relation=relation,
        names=list(node.names),
        outlet_id=node.outlet_id,
        date=(edge.date if edge is not None and edge.date else node.date),
        confidence=edge.confidence if edge is not None else 1.0,
        evidence=edge.evidence if edge is not None else {},
    )


def _upstream(graph: ProvenanceGraph, node: str, seen: set[str]) -> GraphEdge | None:
    """The best article edge leading to an earlier version of ``node`` (not yet visited)."""
    options: list[tuple[int, float, GraphEdge]] = []
    for edge in graph.out_edges(node, ("reposts", "translates")):
        options.append((1, edge.confidence, edge))
    for edge in graph.edges:
        if edge.kind != "near_duplicate" or node not in (edge.source, edge.target):
            continue
        other = edge.target if edge.source == node else edge.source
        mine, theirs = graph.nodes[node].date, graph.nodes[other].date
        if mine and theirs and theirs < mine:
            flipped = GraphEdge(node, other, edge.kind, edge.confidence, edge.evidence, edge.date)
            options.append((0, edge.confidence, flipped))
    options = [o for o in options if o[2].target not in seen]
    if not options:
        return None
    return max(options, key=lambda o: (o[0], o[1], -len(graph.nodes[o[2].target].date or "")))[2]


def provenance_chain(graph: ProvenanceGraph, article_id: str) -> list[ChainLink]:
    """The original-source chain of an article, starting with the article itself (labelled by outlet).

    Article links are followed while an unvisited earlier version exists (cycles end the walk);
    then the outlet that first published the last article (per its notes, or the first one's), then
    the source that article cites with the highest confidence.
    """
    start = article_id if article_id.startswith("article:") else f"article:{article_id}"
    if start not in graph.nodes:
        return []
    chain = [_outlet_labelled(graph, start, "start", None)]
    seen = {start}
    current = start
    while (edge := _upstream(graph, current, seen)) is not None:
        seen.add(edge.target)
        chain.append(_outlet_labelled(graph, edge.target, edge.kind, edge))
        current = edge.target
    visited = [n for n in chain if n.kind == "article"]
    notes: list[GraphEdge] = []
    for link in reversed(visited):  # the deepest article's own notes first
        notes = graph.out_edges(link.node, ("first_published_by",))
        if notes:
            break
    own = {link.outlet_id or link.label for link in chain}
    notes = [e for e in notes if (graph.nodes[e.target].outlet_id or graph.nodes[e.target].label) not in own]
    if notes:
        best = max(notes, key=lambda e: e.confidence)
        chain.append(_link(graph, best.target, "first_published_by", best))
    cites: list[GraphEdge] = []
    for link in reversed(visited):
        cites = graph.out_edges(link.node, ("cites_as_source",))
        if cites:
            break
    named = {link.node for link in chain} | {link.outlet_id for link in chain if link.outlet_id}
    cites = [e for e in cites if e.target not in named and graph.nodes[e.target].outlet_id not in named]
    if cites:
        best = max(cites, key=lambda e: (e.confidence, e.evidence.get("mentions", 0)))
        chain.append(_link(graph, best.target, "cites_as_source", best))
    return chain


def _outlet_labelled(
    graph: ProvenanceGraph, article: str, relation: str, edge: GraphEdge | None
) -> ChainLink:
    """An article link named after its outlet (when known), keeping the article's id and date."""
    link = _link(graph, article, relation, edge)
    link.date = graph.nodes[article].date
    published = graph.out_edges(article, ("published_by",))
    if published:
        outlet = graph.nodes[published[0].target]
        link.label, link.outlet_id = outlet.label, outlet.outlet_id
        link.names = list(dict.fromkeys([*outlet.names, *link.names]))
    return link


def chain_text(chain: list[ChainLink]) -> str:
    """ "KenFM ← RT DE (first published 2021-02-10) ← RusStrat (cited source)"."""
    parts = []
    for link in chain:
        text = link.label
        if link.relation == "first_published_by":
            what = {"based_on": "based on", "source": "source"}.get(
                link.evidence.get("note", ""), "first published"
            )
            text += f" ({what} {link.date})" if link.date else f" ({what})"
        elif link.relation == "cites_as_source":
            text += " (cited source)"
        elif link.relation in ARTICLE_EDGES:
            text += f" ({link.relation.replace('_', ' ')}{', ' + link.date if link.date else ''})"
        parts.append(text)
    return " ← ".join(parts)


def summarize(graph: ProvenanceGraph) -> dict[str, int]:
    """Counts of nodes by kind and of edges by kind."""
    counts: Counter[str] = Counter(f"node:{n.kind}" for n in graph.nodes.values())
    counts.update(f"edge:{e.kind}" for e in graph.edges)
    return dict(counts)


def neighbourhood(edges: Iterable[Edge]) -> dict[str, set[str]]:
    """Adjacency (both directions) of stored article edges, for collecting an article's component."""
    adj: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        adj[e.source_id].add(e.target_id)
        adj[e.target_id].add(e.source_id)
    return adj


@dataclass
class ProvenanceResult:
    article_id: str
    chain: list[ChainLink]
    graph: ProvenanceGraph

    @property
    def text(self) -> str:
        return chain_text(self.chain)


def provenance_from_store(
    store: Store, article_id: str, registry: OutletRegistry | None = None, depth: int = 4
) -> ProvenanceResult:
    """The chain of one stored article, over the articles its stored edges reach (``depth`` hops)."""
    if store.get(article_id) is None:
        raise LagebildError(f"no article {article_id!r} in the database")
    ids = {article_id}
    frontier = {article_id}
    edges: dict[tuple[str, str, str, str], Edge] = {}
    for _ in range(depth):
        found: set[str] = set()
        for aid in frontier:
            for e in store.edges(article_id=aid):
                if e.kind in ARTICLE_EDGES:
                    edges[(e.source_id, e.target_id, e.kind, e.method)] = e
                    found |= {e.source_id, e.target_id}
        frontier = found - ids
        ids |= found
        if not frontier:
            break
    articles = [a for a in (store.get(i) for i in sorted(ids)) if a is not None]
    graph = build_graph(articles, edges.values(), registry)
    return ProvenanceResult(article_id, provenance_chain(graph, article_id), graph)
