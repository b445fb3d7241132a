"""Sentence-level event extraction: who did what to whom, when and where (PLOVER categories).

For every sentence, triggers come from the lexicon (``events/data/<lang>.toml``). Around each trigger:

* **actor and target** from the sentence's linked mentions, within the trigger's clause when it has any:
  "zwischen X und Y" (and "X und Y" for symmetric actions) gives both sides; a passive agent ("von X",
  "durch X", "by X") is the actor; otherwise the first mention without a preposition is the actor and the
  target is the next such mention or one after a target preposition ("an X", "nach X", "gegen X", "mit X").
  Capitals stand for their state unless they follow "in"; persons keep their own id. Coordinated actors of
  a non-symmetric action give one event each ("Die EU und die USA warnten China").
* **time** from the sentence's time expressions (DATE/TIME, the one nearest the trigger; vague values give
  none), or the publication date for "heute"/"today" when no tagger ran; none otherwise.
* **place** from "in X" (a place mention).
* **reported/source** when the trigger lies inside a quote's message (the quote's speaker; an actor's
  own act in its own statement only when a medium relays it, source that medium), when the sentence
  carries "laut X", "X zufolge", "so X", or the clause is in hearsay subjunctive ("soll", "habe").
* **status** ``planned`` for future, intended or announced events (future tense, "will", "plant", "bald",
  a date after the publication date); ``factual`` otherwise.

Negated events ("nicht", "kein") and hypothetical ones ("würde", "könnte", "falls" in the trigger's clause or
before it) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lagebild.events import patterns
from lagebild.events.lexicon import Entry, Lexicon, Term, load_lexicon
from lagebild.kb import KnowledgeBase, load_kb
from lagebild.model import Article, Event, Mention, Quote, TimeExpression

__all__ = ["extract_events", "Candidate"]


@dataclass
class Candidate:
    """A mention that may fill a role, with what stands before it."""

    mention: Mention
    key: str  # actor id (a capital resolved to its state) or the mention text when unlinked
    prep: str | None
    place: bool


@lru_cache(maxsize=1)
def _default_kb() -> KnowledgeBase:
    return load_kb()


def _tokens(article: Article, start: int, end: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if spans:
        return spans
    found = patterns.WORD.finditer(article.clean_text[start:end])
    return [(start + m.start(), start + m.end()) for m in found]


def _match(term: Term, words: list[str], lexicon: Lexicon) -> int | None:
    first = None
    for n, part in enumerate(term.parts):
        hit = next((i for i, w in enumerate(words) if part.matches(w) and not lexicon.excluded(w)), None)
        if hit is None:
            return None
        if n == 0:
            first = hit
    return first


def _triggers(words: list[str], lexicon: Lexicon) -> list[tuple[int, Entry, Term]]:
    """(token index, entry, term) for every trigger; one per token and per action."""

    joined = " ".join(words)

    def has(stems: tuple[str, ...]) -> bool:
        return any(
            x in joined and any(w.startswith(x) or (len(x) >= 6 and x in w) for w in words) for x in stems
        )

    found: list[tuple[int, Entry, Term]] = []
    used: set[int] = set()
    actions: set[str] = set()
    for entry in lexicon.entries:
        if entry.action in actions:
            continue
        hits = []
        for term in entry.terms:
            # a cheap substring test on the whole sentence before the word loop
            if term.parts[0].stem not in joined or not all(p.stem in joined for p in term.parts[1:]):
                continue
            hit = _match(term, words, lexicon)
            if hit is not None and hit not in used:
                hits.append((hit, term))
        if not hits or (entry.if_words and not has(entry.if_words)) or (entry.unless and has(entry.unless)):
            continue
        hit, term = min(hits, key=lambda h: h[0])
        found.append((hit, entry, term))
        used.add(hit)
        actions.add(entry.action)
    return sorted(found, key=lambda f: f[0])


def _clause(text: str, start: int, end: int, at: int) -> tuple[int, int]:
    """Character bounds of the clause around offset ``at`` within [start, end)."""
    lo, hi = start, end
    for sep in patterns.CLAUSE.finditer(text, start, end):
        if sep.end() <= at:
            lo = sep.end()
        elif sep.start() > at:
            hi = sep.start()
            break
    return lo, hi


def _prep_before(text: str, start: int, lo: int) -> str | None:
    """The preposition governing a mention: up to three lower-case words back ("an das Reich")."""
    words: list[str] = patterns.WORD.findall(text[max(lo, start - 40) : start])
    for word in reversed(words[-4:]):
        low = word.lower()
        if low in patterns.PREPOSITIONS:
            return str(low)
        if not word.islower() or not word.isalpha():
            return None
    return None


def _candidates(article: Article, kb: KnowledgeBase, start: int, end: int) -> list[Candidate]:
    text = article.clean_text
    out = []
    for m in article.mentions:
        if not (start <= m.start < end) or m.label in patterns.NOT_ACTORS:
            continue
        if m.actor_id is None and m.label not in ("PER", "ORG", "LOC"):
            continue
        prep = _prep_before(text, m.start, start)
        if text[m.end : m.end + 8].startswith(" zufolge"):
            continue
        actor = kb.actors.get(m.actor_id) if m.actor_id else None
        key = m.actor_id or m.text
        is_place = m.label == "LOC" or (actor is not None and actor.type != "person")
        place = prep in patterns.PLACE_PREPS and is_place
        if actor is not None and actor.type == "city" and actor.metonym_for and not place:
            key = actor.metonym_for
        out.append(Candidate(m, key, prep, place))
    return out


def _groups(text: str, cands: list[Candidate]) -> list[list[Candidate]]:
    """Bare candidates joined by "und"/"and"/commas into coordinated groups."""
    groups: list[list[Candidate]] = []
    for c in cands:
        if groups and patterns.AND.match(text[groups[-1][-1].mention.end : c.mention.start]):
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


def _between(text: str, cands: list[Candidate], lo: int, hi: int) -> list[Candidate] | None:
    """The two sides of "zwischen X und Y" / "between X and Y" (persons preferred over their states)."""
    found = re.compile(r"\b(zwischen|between)\b").search(text, lo, hi)
    if not found:
        return None
    after = [c for c in cands if 0 <= c.mention.start - found.end() < 120]
    persons = [c for c in after if c.mention.label == "PER"]
    pool = persons if len(persons) >= 2 else after
    sides: list[Candidate] = []
    for c in pool:
        if all(s.key != c.key for s in sides):
            sides.append(c)
    return sides[:2] if len(sides) >= 2 else None


def _roles(
    text: str, entry: Entry, trig: int, cands: list[Candidate], lo: int, hi: int
) -> list[tuple[Candidate | None, Candidate | None]]:
    """(actor, target) pairs for one trigger."""
    in_clause = [c for c in cands if lo <= c.mention.start < hi and not c.place]
    pool = in_clause or [c for c in cands if not c.place]
    if entry.action in patterns.SYMMETRIC or entry.action == "AGREE":
        sides = _between(text, [c for c in cands if not c.place], lo, hi)
        if sides and entry.action in patterns.SYMMETRIC:
            return [(sides[0], sides[1])]
    passive = patterns.PASSIVE.search(text[lo:hi])
    agent = next((c for c in pool if c.prep in patterns.AGENT_PREPS), None) if passive else None
    bare = [c for c in pool if c.prep is None] or [c for c in cands if c.prep is None and not c.place]
    groups = _groups(text, bare)
    preps = patterns.TARGET_PREPS.get(entry.action, patterns.DEFAULT_TARGET_PREPS)
    prep_target = next((c for c in pool if c.prep in preps and c is not agent), None)
    if entry.recipient:
        recipient = groups[0][0] if groups else None
        supplier = next((c for c in pool if c.prep in {"von", "vom", "aus", "from"}), None)
        return [(supplier, recipient)]
    actors = [agent] if agent else (groups[0] if groups else [])
    rest = groups[1:] if not agent else groups
    if entry.action in patterns.SYMMETRIC and len(actors) >= 2:
        return [(actors[0], actors[1])]
    target = prep_target or (rest[0][0] if rest else None)
    if not actors:
        return [(None, target)]
    return [(a, target if target is None or target.key != a.key else None) for a in actors]


def _time(
    article: Article, timexes: list[TimeExpression], at: int, lo: int, hi: int, s: int, e: int
) -> str | None:
    dated = [t for t in timexes if s <= t.start < e and t.type in ("DATE", "TIME")]
    if dated:
        best = min(dated, key=lambda t: (not (lo <= t.start < hi), abs(t.start - at)))
        iso = patterns.ISO.match(best.value)
        return str(iso.group(0)) if iso else None
    if not timexes and article.published and patterns.TODAY.search(article.clean_text[s:e]):
        return article.published.value
    return None


def _quote_at(quotes: list[Quote], at: int) -> tuple[int, Quote] | None:
    for n, q in enumerate(quotes):
        if q.kind in ("direct", "indirect") and q.message[0] <= at < q.message[1]:
            return n, q
    return None


def _negated(words: list[str], idx: int) -> bool:
    window = words[max(0, idx - 6) : idx + 4]
    for n, w in enumerate(window):
        if w in patterns.NEGATION:
            nxt = window[n + 1] if n + 1 < len(window) else ""
            if nxt not in ("nur", "only", "zuletzt"):
                return True
    return False


def extract_events(article: Article, kb: KnowledgeBase | None = None) -> list[Event]:
    """Every event of a PLOVER category in ``article``, sentence by sentence."""
    kb = kb or _default_kb()
    lexicon = load_lexicon(article.language or "de")
    text = article.clean_text
    events: list[Event] = []
    for n, sentence in enumerate(article.sentences):
        s, e = sentence.start, sentence.end
        sent_text = text[s:e]
        tokens = _tokens(article, s, e, sentence.tokens)
        words = [text[a:b].lower() for a, b in tokens]
        found = _triggers(words, lexicon)
        if not found:
            continue
        cands = _candidates(article, kb, s, e)
        reporter = patterns.REPORTER.search(sent_text)
        for idx, entry, _term in found:
            if entry.action != "REJECT" and _negated(words, idx):
                continue
            at = tokens[idx][0]
            lo, hi = _clause(text, s, e, at)
            clause = text[lo:hi]
            # in the clause or before it, not in clauses hanging off it
            if patterns.HYPOTHETICAL.search(text, s, hi):
                continue
            mode = entry.mode
            if entry.military_if and any(w in sent_text.lower() for w in entry.military_if):
                mode = "military"
            quoted = _quote_at(article.quotes, at)
            reported, source, quote_index = False, None, None
            if quoted is not None:
                quote_index, q = quoted
                reported, source = True, q.speaker_name or q.speaker
            elif reporter:
                reported, source = True, reporter.group("a") or reporter.group("b")
            elif patterns.HEARSAY.search(clause):
                reported = True
            time = _time(article, article.time_expressions, at, lo, hi, s, e)
            pub = article.published.value if article.published else None
            future = bool(patterns.FUTURE.search(clause)) or bool(
                time and pub and time[: len(pub)] > pub[: len(time)]
            )
            place = next((c.mention.text for c in cands if c.place), None)
            sides = _demonyms(words, idx, kb, dict(lexicon.demonyms))
            trigger_word = text[tokens[idx][0] : tokens[idx][1]]
            forces = _forces(words, idx, kb) if entry.action in patterns.FORCE_ACTIONS else None
            for actor, target in _roles(text, entry, at, cands, lo, hi):
                actor_key = forces or (actor.key if actor else None)
                target_key = target.key if target else None
                if sides and (actor_key is None or trigger_word[:1].isupper()):
                    actor_key = sides[
                        0
                    ]  # "russischer Überfall", "westliche Sanktionen": the adjective's state
                    if target_key is None and len(sides) > 1 and entry.action in patterns.SYMMETRIC:
                        target_key = sides[1]
                if actor_key is None and entry.action == "AID" and mode == "military":
                    actor_key = _supplier(article, kb, s, e, target_key)
                own = (
                    quoted is not None and quoted[1].actor_id is not None and quoted[1].actor_id == actor_key
                )
                # The speaker's own act is not reported by the speaker, but still by a medium that
                # reports the statement ("Laut CCTV lobte Xi …": reported, source CCTV).
                relayed = quoted[1].reported_by if own and quoted is not None else None
                if own:
                    reported, source = bool(relayed), relayed
                events.append(
                    Event(
                        action=entry.action,
                        sentence=n,
                        actor=actor_key,
                        target=target_key,
                        time=time,
                        mode=mode,
                        place=place,
                        trigger=trigger_word,
                        reported=reported,
                        source=source,
                        quote=quote_index if not own or relayed else None,
                        status="planned" if future else "factual",
                    )
                )
    return events


def _demonyms(words: list[str], idx: int, kb: KnowledgeBase, extra: dict[str, str]) -> list[str]:
    """States named by demonym adjectives right before a noun trigger ("russisch-chinesische Gespräche")."""
    out: list[str] = []
    for word in words[max(0, idx - 2) : idx]:
        for part in word.split("-"):
            base = patterns.ADJ_ENDING.sub("", part)
            state = kb.demonyms.get(base) or extra.get(base)
            if state and state not in out:
                out.append(state)
    return out


def _forces(words: list[str], idx: int, kb: KnowledgeBase) -> str | None:
    """The state of armed forces named after a nominal trigger ("Abzug der italienischen Truppen")."""
    after = words[idx + 1 : idx + 4]
    if len(after) < 3 or after[0] not in ("der", "des", "von", "of") or not patterns.FORCES.match(after[2]):
        return None
    return kb.demonyms.get(patterns.ADJ_ENDING.sub("", after[1]))


def _supplier(article: Article, kb: KnowledgeBase, s: int, e: int, recipient: str | None) -> str | None:
    """The producing state of a weapon named in the sentence ("Su-35" -> Russia) for recipient-worded AID."""
    for m in article.mentions:
        if s <= m.start < e and m.label == "WEAPON" and m.actor_id in kb.actors:
            country = kb.actors[m.actor_id].country
            if country and country != recipient:
                return country
    return None
