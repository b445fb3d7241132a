"""Names of outlets and institutions as sources: normalisation, registry lookup, cited sources.

``NameResolver`` maps a name as written ("RT-Deutsch", "dem Moskauer Institut für internationale
Strategien", "RusStrat") to an outlet node: registry names and aliases are tried with leading
prepositions/articles/adjectives cut, hyphens as spaces, an acronym in parentheses, and finally
unique content-word containment against the registry's multi-word aliases. Unregistered names
become ``name:<normalised>`` nodes. :func:`cited_sources` finds what an article cites: quote
speakers ("laut X", "so X", nested "reported_by") and "Nach einer Analyse … von X" phrases, kept
when X is registered or reads as an institution (Institut, Agentur, Ministerium, Zeitung, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lagebild.model import Article
from lagebild.outlets import OutletRegistry

__all__ = ["Node", "NameResolver", "cited_sources", "clean_name"]

_LEAD = re.compile(
    r"^(?:(?:laut|nach|gemäß|zufolge|so|von|vom|bei|beim|auf|im|in|der|die|das|dem|den|des|ein|eine|einer"
    r"|einem|eines|the|a|an|by|from|according to|renommierte[nmrs]?|moskauer|russische[nmrs]?|"
    r"chinesische[nmrs]?|amerikanische[nmrs]?|us-amerikanische[nmrs]?)\s+)+",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"(institut|institute|agentur|agency|ministerium|ministry|zeitung|newspaper|stiftung|foundation|"
    r"zentrum|center|centre|council|rat\b|akademie|academy|universität|university|think.?tank|"
    r"nachrichten|news|tv\b|radio|sender|portal|magazin|magazine|verlag|\bpress\b|presse|times|post\b|"
    r"analysten|research|bureau|büro|kommission|commission|amt\b|behörde|office)",
    re.IGNORECASE,
)
_STOP = {"für", "und", "der", "die", "das", "des", "dem", "den", "of", "for", "and", "the", "de", "du", "la"}
_ANALYSIS = re.compile(
    r"\b(?:nach|laut|gemäß|according to)\s+(?:einer|einem|der|dem|des|an?|the)\s+"
    r"(?:neuen\s+|aktuellen\s+|new\s+)?"
    r"(?:analyse|studie|bericht|untersuchung|umfrage|recherche|einschätzung|prognose|analysis|study|"
    r"report|survey|assessment)\w*(?:\s*\([^)]{0,60}\))?\s+(?:von|vom|der|des|by|from|of)\s+"
    r"(?P<name>[^.,;:!?]{3,140}?)(?=\s+(?:vom|von|am|on|from|stehen|steht|ist|sind|hat|haben|wird|werden|"
    r"sei|seien|habe|würde|is|are|has|have|will|would)\b|[.,;:!?]|$)",
    re.IGNORECASE,
)
_AFFILIATION = re.compile(r"\s(?:vom|von der|von|of the|from the|at the)\s+(.+)$")
_PAREN = re.compile(r"\(([^()]{2,40})\)\s*$")


@dataclass
class Node:
    id: str
    kind: str  # "article" or "outlet"
    label: str
    names: list[str] = field(default_factory=list)  # as written in the texts, then registry names
    outlet_id: str | None = None  # registry id
    outlet_type: str | None = None
    date: str | None = None  # articles: publication date


def clean_name(name: str) -> str:
    name = " ".join(name.replace("\u00ad", "").split()).strip(" \"'„“”»«‚‘’*_[]")
    return _LEAD.sub("", name).strip()


class NameResolver:
    """Maps names as written ("RT-Deutsch", "dem Moskauer Institut für … Strategien") to outlet nodes."""

    def __init__(self, registry: OutletRegistry | None) -> None:
        self.registry = registry
        self._tokens: list[tuple[frozenset[str], str]] = []
        if registry is not None:
            for outlet in registry:
                for name in outlet.names:
                    toks = self._content(name)
                    if len(toks) >= 2:
                        self._tokens.append((toks, outlet.id))

    @staticmethod
    def _content(name: str) -> frozenset[str]:
        return frozenset(t for t in re.findall(r"\w+", name.casefold()) if t not in _STOP and len(t) > 1)

    def registered(self, name: str) -> str | None:
        """The registry id for ``name``, trying spelling variants and then unique token containment."""
        if self.registry is None or not name:
            return None
        cleaned = clean_name(name)
        variants = [name, cleaned, cleaned.replace("-", " "), re.sub(r"[-\s]+", "", cleaned)]
        paren = _PAREN.search(cleaned)
        if paren:
            variants.insert(0, paren.group(1))
            variants.append(cleaned[: paren.start()].strip())
        for variant in variants:
            outlet = self.registry.by_name(variant.strip())
            if outlet is not None:
                return outlet.id
        toks = self._content(cleaned)
        if len(toks) >= 2:
            hits = {
                oid for alias, oid in self._tokens if len(toks & alias) >= 2 and toks - alias <= {"moskauer"}
            }
            hits |= {oid for alias, oid in self._tokens if alias <= toks}
            if len(hits) == 1:
                return hits.pop()
        # A registered name at either end: "Fernsehsender CCTV", "CCTV lobte Xi Jinping".
        words = cleaned.replace("„", " ").replace("“", " ").split()
        ends = {" ".join(words[:k]) for k in range(1, 4)} | {" ".join(words[-k:]) for k in range(1, 4)}
        found = {o.id for e in ends if e and e[0].isupper() and (o := self.registry.by_name(e)) is not None}
        return found.pop() if len(found) == 1 else None

    def node(self, name: str) -> Node | None:
        """The outlet node for ``name``; None when the name is empty after cleaning."""
        cleaned = clean_name(name)
        if not cleaned:
            return None
        oid = self.registered(name)
        if oid is not None and self.registry is not None:
            outlet = self.registry.outlets[oid]
            names = list(dict.fromkeys([cleaned, *outlet.names]))
            return Node(
                f"outlet:{oid.removeprefix('outlet:')}", "outlet", outlet.name, names, oid, outlet.type
            )
        key = re.sub(r"\W+", " ", cleaned.casefold()).strip()
        return Node(f"name:{key}", "outlet", cleaned, [cleaned])

    def is_source(self, name: str) -> bool:
        """True for registered outlets and institution-like names of two or more words."""
        cleaned = clean_name(name)
        if not cleaned or self.registered(name) is not None:
            return bool(cleaned)
        return bool(_INSTITUTION.search(cleaned)) and len(self._content(cleaned)) >= 2


def cited_sources(article: Article, resolver: NameResolver) -> dict[str, tuple[Node, list[str]]]:
    """Outlets and institutions the article cites: node id -> (node, evidence snippets)."""
    found: dict[str, tuple[Node, list[str]]] = {}

    def add(name: str, evidence: str) -> None:
        affiliation = _AFFILIATION.search(name)  # "Wassili Kaschin vom Institut für Orientalistik"
        if affiliation and resolver.is_source(affiliation.group(1)):
            name = affiliation.group(1)
        if not resolver.is_source(name):
            return
        node = resolver.node(name)
        if node is None:
            return
        entry = found.setdefault(node.id, (node, []))
        for n in node.names:
            if n not in entry[0].names:
                entry[0].names.append(n)
        entry[1].append(evidence)

    text = article.clean_text or article.raw_text
    for match in _ANALYSIS.finditer(text):
        add(match.group("name"), match.group(0).strip())
    for quote in article.quotes:
        for name in (quote.reported_by, quote.speaker_name, quote.speaker):
            if name:
                add(name, f"{quote.cue or 'quote'}: {name}: {quote.text[:120]}")
                break
    return found
