"""The report's provenance section: a static SVG of the provenance graph, its edges, original-source chains.

The layout is computed here (no script in the page): articles in a left column ordered by date (labels
to their left), the outlets and institutions they are published by, copy from or cite in a right column;
article-to-article edges (reposts, translations, near-duplicates, quotations) are arcs right of the
article column, article-to-outlet edges straight lines. Coordinates and colours are numbers and fixed
strings; every label reaches the page through the autoescaping template.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lagebild.model import Article
from lagebild.outlets import OutletRegistry
from lagebild.reuse.provenance import ProvenanceGraph, build_graph, chain_text, provenance_chain
from lagebild.store import Edge

__all__ = ["COLOURS", "provenance_view", "evidence_text"]

COLOURS = {
    "reposts": "#d9534f",
    "translates": "#2f6db5",
    "quotes_from": "#8e44ad",
    "cites_as_source": "#e67e22",
    "first_published_by": "#2e8b57",
    "near_duplicate": "#7f8c8d",
    "published_by": "#c4ccd6",
}
LABELS = {
    "reposts": "reposts",
    "translates": "translates",
    "quotes_from": "quotes from",
    "cites_as_source": "cites as source",
    "first_published_by": "first published by",
    "near_duplicate": "near-duplicate",
    "published_by": "published by",
}
MAX_ARTICLES = 60
_ROW, _TOP, _WIDTH = 26, 30, 1080
_AX, _OX = 560, 860  # x of the article column and of the outlet column


@dataclass
class SvgNode:
    id: str
    x: float
    y: float
    label: str
    kind: str
    anchor: str | None  # the report section it links to


@dataclass
class SvgEdge:
    kind: str
    colour: str
    path: str  # SVG path data (numbers only)
    title: str


@dataclass
class EdgeRow:
    source: str
    source_anchor: str | None
    kind: str
    target: str
    target_anchor: str | None
    confidence: float
    evidence: str
    method: str = ""


@dataclass
class ChainRow:
    article_id: str
    title: str
    text: str
    links: list[Any] = field(default_factory=list)


def evidence_text(evidence: dict[str, Any], limit: int = 300) -> str:
    """A one-line reading of an edge's evidence (plain text; the template escapes it)."""
    parts: list[str] = []
    if evidence.get("direction"):
        parts.append(str(evidence["direction"]))
    if "copied" in evidence:
        parts.append(f"{len(evidence['copied'])} paragraphs copied, {evidence.get('added', 0)} added")
    if "coverage" in evidence:
        parts.append(
            f"{evidence.get('aligned_sentences', 0)} sentences aligned (coverage {evidence['coverage']})"
        )
    if evidence.get("note"):
        parts.append(f"note ({evidence['note']}): “{evidence.get('evidence', '')}”")
    elif isinstance(evidence.get("evidence"), list):
        parts.append("; ".join(f"“{e}”" for e in evidence["evidence"][:3]))
    elif evidence.get("evidence"):
        parts.append(str(evidence["evidence"]))
    if not parts:
        parts.append(json.dumps({k: v for k, v in evidence.items() if k != "method"}, ensure_ascii=False))
    text = " · ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(text: str, n: int = 48) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def provenance_view(
    articles: list[Article],
    edges: list[Edge],
    registry: OutletRegistry | None = None,
    shown: set[str] | None = None,
) -> dict[str, Any]:
    """What the template needs: ``svg`` (nodes, edges, size), ``rows`` (edge table), ``chains``, ``legend``.

    Only articles with an edge other than ``published_by`` are drawn (at most ``MAX_ARTICLES``, the
    most connected); ``shown`` are the article ids that have a section in the report (for links).
    """
    graph = build_graph(articles, edges, registry)
    shown = shown if shown is not None else {a.id for a in articles}
    linked = _linked_articles(graph)
    chains = _chains(graph, linked, shown)
    rows = [
        _row(graph, e, shown)
        for e in sorted(graph.edges, key=lambda e: (e.kind, -e.confidence, e.source, e.target))
        if e.kind != "published_by" and (e.source in linked or e.target in linked)
    ]
    return {
        "svg": _layout(graph, linked, shown),
        "rows": rows,
        "chains": chains,
        "legend": [(LABELS[k], c) for k, c in COLOURS.items()],
        "graph": graph,
    }


def _linked_articles(graph: ProvenanceGraph) -> list[str]:
    degree: dict[str, int] = {}
    for e in graph.edges:
        if e.kind == "published_by":
            continue
        for node in (e.source, e.target):
            if graph.nodes[node].kind == "article":
                degree[node] = degree.get(node, 0) + 1
    best = sorted(degree, key=lambda n: (-degree[n], n))[:MAX_ARTICLES]
    return sorted(best, key=lambda n: (graph.nodes[n].date or "9999", n))


def _anchor(node: str, shown: set[str]) -> str | None:
    if node.startswith("article:") and node[8:] in shown:
        return "a-" + node[8:]
    return None


def _label(graph: ProvenanceGraph, node: str) -> str:
    n = graph.nodes[node]
    if n.kind != "article":
        return n.label
    outlet = next((graph.nodes[e.target].label for e in graph.out_edges(node, ("published_by",))), None)
    date = n.date or "undated"
    return f"{outlet or 'unknown outlet'} · {date} · {n.label}"


def _row(graph: ProvenanceGraph, e: Any, shown: set[str]) -> EdgeRow:
    return EdgeRow(
        source=_label(graph, e.source),
        source_anchor=_anchor(e.source, shown),
        kind=LABELS.get(e.kind, e.kind),
        target=_label(graph, e.target),
        target_anchor=_anchor(e.target, shown),
        confidence=round(e.confidence, 2),
        evidence=evidence_text(e.evidence),
        method=str(e.evidence.get("method", "")),
    )


def _chains(graph: ProvenanceGraph, linked: list[str], shown: set[str]) -> list[ChainRow]:
    out = []
    for node in linked:
        chain = provenance_chain(graph, node)
        if len(chain) > 1:
            aid = node[8:]
            out.append(
                ChainRow(aid if aid in shown else "", graph.nodes[node].label, chain_text(chain), chain)
            )
    return out


def _layout(graph: ProvenanceGraph, linked: list[str], shown: set[str]) -> dict[str, Any]:
    if not linked:
        return {"nodes": [], "edges": [], "width": _WIDTH, "height": 0}
    pos: dict[str, tuple[float, float]] = {}
    nodes: list[SvgNode] = []
    for k, node in enumerate(linked):
        y = float(_TOP + k * _ROW)
        pos[node] = (_AX, y)
        nodes.append(SvgNode(node, _AX, y, _short(_label(graph, node), 60), "article", _anchor(node, shown)))
    keep = set(linked)
    drawn = [e for e in graph.edges if e.source in keep or e.target in keep]
    first_row: dict[str, float] = {}
    for e in drawn:
        for a, b in ((e.source, e.target), (e.target, e.source)):
            if a in pos and b not in keep and graph.nodes[b].kind != "article":
                first_row[b] = min(first_row.get(b, pos[a][1]), pos[a][1])
    others = sorted(first_row, key=lambda n: (first_row[n], n))
    step = max(float(_ROW), (len(linked) * _ROW) / max(1, len(others)))
    for k, node in enumerate(others):
        y = _TOP + k * step
        pos[node] = (_OX, y)
        nodes.append(SvgNode(node, _OX, y, _short(graph.nodes[node].label, 24), "outlet", None))
    svg_edges: list[SvgEdge] = []
    for e in drawn:
        if e.source not in pos or e.target not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        if x1 == x2:  # article → article: an arc to the right, wider for distant rows
            bulge = x1 + 30 + min(200.0, abs(y2 - y1) * 0.5)
            path = f"M{x1 + 6:.0f},{y1:.0f} C{bulge:.0f},{y1:.0f} {bulge:.0f},{y2:.0f} {x2 + 6:.0f},{y2:.0f}"
        else:
            path = f"M{x1 + 6:.0f},{y1:.0f} L{x2 - 6:.0f},{y2:.0f}"
        src, dst = _short(graph.nodes[e.source].label, 40), _short(graph.nodes[e.target].label, 40)
        title = f"{src} {LABELS.get(e.kind, e.kind)} {dst} ({e.confidence:.2f})"
        svg_edges.append(SvgEdge(e.kind, COLOURS.get(e.kind, "#999999"), path, title))
    svg_edges.sort(key=lambda s: s.kind == "published_by", reverse=True)  # light lines below
    height = _TOP + max(len(linked) * _ROW, len(others) * step) + 10
    return {"nodes": nodes, "edges": svg_edges, "width": _WIDTH, "height": int(height)}
