"""Stage ``link``: every entity mention to one actor of the knowledge base, or to a document-level id.

Rules, in order (each mention records the rule that linked it):
1. ``alias``: the mention, without leading articles and titles, is a name, alias or epithet of one actor
   ("Patrushev", "Reich der Mitte"); inflected forms are tried too ("Putins", "Russlands").
2. ``short-name``: a surname that closes an earlier mention of the same document ("Kaschin" after
   "Wassili Kaschin", "Wang" after "Wang Yi") takes that mention's actor.
3. ``title``: a role title, with any adjective ending ("der russische Präsident", "der Kreml-Chef"),
   resolves to the actor who held the role at the document's date.
4. ``demonym``: "die russische Seite", "die chinesische Regierung" name the state.
5. ``ambiguous``: a shared form ("Li", "Wang") is linked only when one candidate is named elsewhere in
   the document; otherwise the mention stays unlinked and keeps its candidates.
Capitals and seats of government with ``metonym_for`` link to the state when the mention does not follow
a locative preposition ("Peking warnte" → China; "in Peking" → the city). Persons not in the knowledge
base get a document-level id ``doc:<slug>`` that merges their mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lagebild.kb import KnowledgeBase, load_kb
from lagebild.model import Article, Mention
from lagebild.pipeline import Context, stage

__all__ = ["Linker", "Link"]

_ARTICLES = re.compile(r"^(der|die|das|den|dem|des|the|ein|eine|einen|einem|eines)\s+", re.I)
_ADJ_END = re.compile(r"(e|en|er|es|em)$")
_ADJ_INFLECTED = re.compile(r"(?<=\w{4})(en|er|em|es)$")  # "Russischen" -> "Russische"
# Words that may stand before a name without changing whom it names ("Verteidigungsminister Schoigu").
_TITLE_WORD = re.compile(
    r"^([\w.]+-)?\w*(minister|präsident|kanzler|chef|sprecher|sekretär|berater|experte|general|botschafter|"
    r"kommissar|direktor|vorsitzende[rn]?|premier|senator|admiral|oberst|könig|prinz|staatschef|analyst|"
    r"diplomat|politiker|abgeordnete[rn]?)(in|innen|en|s)?$|^(Dr|Prof|Mag)\.$|^(Herr|Frau|Mr|Mrs|Ms)\.?$"
    r"|^[a-zäöü]+isch(e|en|er|es|em)?$",  # "der russische Präsident Putin"
    re.I,
)
# Compounds whose head is a government or a group of states name the modifier's state ("US-Regierung").
_STATE_HEADS = re.compile(
    r"^(?P<mod>.+?)-(Regierung|Administration|Führung|Staaten|Behörden|Regierungskabinett)s?$"
)
_LOCATIVE = {
    "in",
    "im",
    "nach",
    "aus",
    "bei",
    "von",
    "vom",
    "zu",
    "zum",
    "zur",
    "über",
    "durch",
    "at",
    "from",
    "to",
}
_DEMONYM_HEADS = (
    "Seite",
    "Regierung",
    "Führung",
    "Staatsführung",
    "Staatsspitze",
    "Behörden",
    "side",
    "government",
)
_SLUG = re.compile(r"[^a-z0-9]+")
_GAZETTEER_TYPES = {"weapon_system", "treaty", "media", "event", "infrastructure"}
# Domain types layered over the statistical PER/LOC/ORG/OTH labels.
_DOMAIN_LABELS = {
    "weapon_system": "WEAPON",
    "treaty": "TREATY",
    "media": "MEDIA",
    "event": "EVENT",
    "infrastructure": "INFRASTRUCTURE",
}


@dataclass(frozen=True)
class Link:
    actor_id: str | None
    rule: str
    candidates: tuple[str, ...] = ()
    metonym: bool = False


def _variants(form: str) -> list[str]:
    """The form and its likely uninflected bases: genitive -s/-es/-ns, dative plural -n, adjective
    endings inside multi-word names ("Russischen Föderation"), ALL-CAPS headlines, hyphen or space."""
    bases = [form]
    if form.isupper() and len(form) > 4:
        bases.append(form.title())
    words = form.split()
    if len(words) > 1 and any(_ADJ_INFLECTED.search(w) for w in words[:-1]):
        bases.append(
            " ".join(_ADJ_INFLECTED.sub("e", w) if i < len(words) - 1 else w for i, w in enumerate(words))
        )
    if "-" in form:
        bases.append(form.replace("-", " "))
    out: list[str] = []
    for base in bases:
        out.append(base)
        if base.endswith(("'s", "’s")):
            out.append(base[:-2])
        elif base.endswith("s") and len(base) > 2:
            out.append(base[:-1])
            if base.endswith(("es", "ns")) and len(base) > 4:
                out.append(base[:-2])
        elif base.endswith("n") and len(base) > 4:
            out.append(base[:-1])  # dative plural: "US-Amerikanern"
    return out


def _title_key(words: list[str]) -> str:
    """'der russischen Präsidenten' -> 'russischer präsident' style key: adjectives to -er, no article."""
    return " ".join(words).casefold()


class Linker:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.title_keys: dict[str, str] = {}
        for title in kb.titles:
            words = title.split()
            self.title_keys[self._normal_title(words)] = title

    @staticmethod
    def _normal_title(words: list[str]) -> str:
        normal = [_ADJ_END.sub("", w.casefold()) if w[:1].islower() else w.casefold() for w in words]
        if normal:
            normal[-1] = re.sub(r"(en|n|s)$", "", normal[-1]) if words[-1][:1].isupper() else normal[-1]
        return " ".join(normal)

    def _alias(self, form: str) -> set[str]:
        for variant in _variants(form):
            found = self.kb.lookup(variant)
            if found:
                return found
        return set()

    def _title(self, words: list[str], date: str | None) -> set[str]:
        title = self.title_keys.get(self._normal_title(words))
        return self.kb.holders(title, date) if title else set()

    def _demonym(self, words: list[str]) -> str | None:
        if len(words) >= 2 and words[-1] in _DEMONYM_HEADS:
            base = _ADJ_END.sub("", words[-2].casefold())
            for candidate in (base, base + "e", words[-2].casefold()):
                if candidate in self.kb.demonyms:
                    return self.kb.demonyms[candidate]
        return None

    def _metonym(self, actor_id: str, preceding: str) -> Link:
        actor = self.kb.actors[actor_id]
        if actor.metonym_for and preceding.casefold() not in _LOCATIVE:
            return Link(actor.metonym_for, "alias", (actor_id,), metonym=True)
        return Link(actor_id, "alias")

    def link(self, text: str, preceding: str, date: str | None, seen: dict[str, str]) -> Link:
        """Link one mention; ``seen`` maps surnames of earlier mentions in the document to their ids."""
        whole = self._alias(text.strip())
        if len(whole) == 1:  # names that begin like an article: "Den Haag", "Die Linke"
            return self._metonym(next(iter(whole)), preceding)
        bare = _ARTICLES.sub("", text.strip())
        words = bare.split()
        if not words:
            return Link(None, "empty")
        # 1. the whole form, then the form without leading title words ("Verteidigungsminister Schoigu")
        for start in range(len(words)):
            if start and not _TITLE_WORD.match(words[start - 1]):
                break
            found = self._alias(" ".join(words[start:]))
            if len(found) == 1:
                return self._metonym(next(iter(found)), preceding if start == 0 else "")
            if found:
                return Link(None, "ambiguous", tuple(sorted(found)))
        # 2. short names closing an earlier mention
        last = _variants(words[-1])
        for variant in last:
            if variant in seen and len(words) == 1:
                return Link(seen[variant], "short-name")
        # 3. role titles at the document's date
        holders = self._title(words, date)
        if len(holders) == 1:
            return Link(next(iter(holders)), "title")
        if holders:
            return Link(None, "title-ambiguous", tuple(sorted(holders)))
        # 4. demonym phrases and nouns ("die russische Seite", "die Amerikaner"), state compounds
        state = self._demonym(words)
        if state is None and len(words) == 1:
            state = next(
                (
                    self.kb.demonyms[v.casefold()]
                    for v in _variants(bare)
                    if v.casefold() in self.kb.demonyms and v[:1].isupper()
                ),
                None,
            )
        compound = _STATE_HEADS.match(bare) if len(words) == 1 else None
        if state is None and compound:
            found = self._alias(compound.group("mod"))
            if len(found) == 1:
                actor = self.kb.actors[next(iter(found))]
                state = actor.id if actor.type in ("state", "organization") else actor.country
        if state:
            return Link(state, "demonym")
        # 5. ambiguous forms resolved by the document
        for variant in _variants(bare):
            candidates = self.kb.ambiguous.get(variant)
            if candidates:
                named = [c for c in candidates if c in seen.values()]
                if len(named) == 1:
                    return Link(named[0], "ambiguous-resolved")
                return Link(None, "ambiguous", tuple(sorted(candidates)))
        return Link(None, "unknown")

    def link_article(self, article: Article) -> list[Mention]:
        date = article.published.value if article.published else None
        seen: dict[str, str] = {}
        out: list[Mention] = []
        for mention in sorted(article.mentions, key=lambda m: m.start):
            before = article.clean_text[max(0, mention.start - 30) : mention.start].split()
            preceding = before[-1] if before else ""
            result = self.link(mention.text, preceding, date, seen)
            actor_id = result.actor_id
            if actor_id is None and mention.label == "PER" and result.rule == "unknown":
                actor_id = "doc:" + _SLUG.sub("-", mention.text.casefold()).strip("-")
                result = Link(actor_id, "document")
            if actor_id and mention.label == "PER":
                names = _ARTICLES.sub("", mention.text).split()
                if names:
                    seen[names[-1]] = actor_id
                    if len(names) > 1 and result.rule == "document":
                        seen[names[-1]] = actor_id
            mention.actor_id = actor_id
            if actor_id and actor_id in self.kb.actors:
                mention.label = _DOMAIN_LABELS.get(self.kb.actors[actor_id].type, mention.label)
            mention.link_rule = result.rule
            mention.candidates = list(result.candidates)
            mention.metonym = result.metonym
            out.append(mention)
        # 6. demonym phrases the NER does not tag ("die russische Seite"), then knowledge-base names of
        # weapons, treaties, media, events and infrastructure the NER missed ("Su-35", "New START").
        out += self._demonym_mentions(article, {(m.start, m.end) for m in out})
        out += self._gazetteer_mentions(article, {(m.start, m.end) for m in out})
        return sorted(out, key=lambda m: m.start)

    def _gazetteer(self) -> re.Pattern[str] | None:
        if not hasattr(self, "_gazetteer_re"):
            forms = sorted(
                (
                    f
                    for f, ids in self.kb.forms.items()
                    if len(ids) == 1
                    and len(f) >= 3
                    and self.kb.actors[next(iter(ids))].type in _GAZETTEER_TYPES
                ),
                key=len,
                reverse=True,
            )
            self._gazetteer_re = (
                re.compile(r"(?<![\w-])(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
                if forms
                else None
            )
        return self._gazetteer_re

    def _gazetteer_mentions(self, article: Article, taken: set[tuple[int, int]]) -> list[Mention]:
        pattern = self._gazetteer()
        if pattern is None:
            return []
        found: list[Mention] = []
        for match in pattern.finditer(article.clean_text):
            span = (match.start(), match.end())
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            actor = self.kb.actors[next(iter(self.kb.lookup(match.group())))]
            label = _DOMAIN_LABELS.get(actor.type, "OTH")
            found.append(Mention(span[0], span[1], match.group(), label, actor.id, "gazetteer"))
            taken.add(span)
        return found

    def _demonym_mentions(self, article: Article, taken: set[tuple[int, int]]) -> list[Mention]:
        found: list[Mention] = []
        heads = "|".join(_DEMONYM_HEADS)
        for match in re.finditer(rf"\b([a-zäöü]+(?:e|en|er|es))\s+({heads})\b", article.clean_text):
            state = self._demonym([match.group(1), match.group(2)])
            span = (match.start(), match.end())
            if state and not any(a < span[1] and span[0] < b for a, b in taken):
                found.append(Mention(span[0], span[1], match.group(), "LOC", state, "demonym"))
        return found


@stage("link", needs=("mentions", "published"), adds=("mentions",))
def link(article: Article, ctx: Context) -> Article:
    """Link mentions to knowledge-base actors (aliases, short names, titles at the date, demonyms)."""
    extra = tuple(ctx.config["kb"]["extra_dirs"])
    linker: Linker = ctx.resource(f"linker:{extra}", lambda: Linker(load_kb(extra)))
    article.mentions = linker.link_article(article)
    return article
