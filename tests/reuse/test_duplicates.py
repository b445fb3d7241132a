from __future__ import annotations

import random

from lagebild.model import Provenance
from lagebild.outlets import load_outlets
from lagebild.reuse import ReuseEdge, align_paragraphs, direction, find_near_duplicates, paragraphs
from lagebild.reuse.duplicates import OutletMatcher

from .helpers import article, text

FOOTER = "Dieser Beitrag erschien zuerst auf RT DE. Folgen Sie uns auf Telegram und unterstützen Sie uns."
INTRO = "Wir dokumentieren den folgenden Text eines Lesers, der uns wichtig erscheint."


def edit(body: str, share: float, seed: int = 0) -> str:
    """Edit (one word replaced) or drop (alternately) ``share`` of the sentences."""
    rng = random.Random(seed)
    paras = [[s.rstrip(".") + "." for s in p.split(". ")] for p in paragraphs(body)]
    flat = [(i, j) for i, p in enumerate(paras) for j in range(len(p))]
    touched = sorted(rng.sample(flat, max(1, round(share * len(flat)))))
    for n, (i, j) in enumerate(touched):
        if n % 2:
            paras[i][j] = ""
        else:
            words = paras[i][j].split()
            words[rng.randrange(len(words))] = "offenbar"
            paras[i][j] = " ".join(words)
    return "\n\n".join(" ".join(s for s in p if s) for p in paras if any(p))


def corpus(*extra):
    return [article(f"u{i:02d}", text(100 + i)) for i in range(20)] + list(extra)


def pairs(edges: list[ReuseEdge]) -> set[frozenset[str]]:
    return {frozenset((e.source_id, e.target_id)) for e in edges}


def test_identical_footer_edited_reordered_found_unrelated_not():
    original = text(1)
    paras = paragraphs(original)
    reordered = "\n\n".join([paras[3], paras[0], paras[5], paras[1], paras[4], paras[2]])
    items = corpus(
        article("orig", original),
        article("same", original),
        article("footer", original + "\n\n" + FOOTER),
        article("edited", edit(original, 0.2)),
        article("reordered", reordered),
    )
    edges = find_near_duplicates(items)
    copies = {"orig", "same", "footer", "edited", "reordered"}
    assert pairs(edges) == {frozenset((a, b)) for a in copies for b in copies if a < b}
    by_pair = {frozenset((e.source_id, e.target_id)): e for e in edges}
    assert by_pair[frozenset(("orig", "same"))].score == 1.0
    assert (
        by_pair[frozenset(("orig", "reordered"))].score > 0.8
    )  # only shingles across paragraph joins change
    assert 0.3 <= by_pair[frozenset(("orig", "edited"))].score < 0.95
    assert all(e.kind == "near_duplicate" and e.direction_evidence is None for e in edges)  # no dates


def test_paragraph_alignment_copied_added_cut_reordered():
    original = text(2)
    paras = paragraphs(original)
    copy = "\n\n".join([INTRO, paras[2], paras[0], paras[1], edit(paras[3], 0.34, seed=3), paras[5], FOOTER])
    al = align_paragraphs(original, copy)
    assert al.paragraphs_a == 6 and al.paragraphs_b == 7
    assert al.copied == [0, 1, 2, 3, 5]
    assert al.cut == [4]
    assert al.added == [0, 6]  # intro and footer
    assert al.reordered
    scores = {i: s for i, _, s in al.pairs}
    assert scores[0] == 1.0 and 0.25 <= scores[3] < 1.0
    ev = al.to_evidence()
    assert ev["added"] == 2 and ev["cut"] == 1 and ev["copied"][0] == [2, 1, 1.0]
    same = align_paragraphs(original, original)
    assert same.copied == list(range(6)) and not same.added and not same.cut and not same.reordered


def test_paragraphs_of_a_text_without_blank_lines_are_its_lines():
    assert paragraphs("eins\nzwei\n\n") == ["eins", "zwei"]
    assert paragraphs("a\n\nb\nc") == ["a", "b\nc"]


def test_direction_from_dates():
    body = text(4)
    items = corpus(
        article("early", body, "2023-03-10"), article("late", body + "\n\n" + FOOTER, "2023-03-12")
    )
    (edge,) = find_near_duplicates(items)
    assert (edge.source_id, edge.target_id, edge.kind) == ("late", "early", "reposts")
    assert edge.direction_evidence == "published 2023-03-12 after 2023-03-10"
    assert edge.evidence["added"] == 1 and edge.evidence["cut"] == 0 and len(edge.evidence["copied"]) == 6


def test_same_day_or_coarser_date_gives_no_direction():
    assert direction(article("a", "x", "2023-03-10"), article("b", "x", "2023-03-10")) is None
    assert direction(article("a", "x", "2023"), article("b", "x", "2023-03-10")) is None
    copy, original, why = direction(article("a", "x", "2022"), article("b", "x", "2023-03-10")) or (None,) * 3
    assert (copy.id, original.id) == ("b", "a")


def test_direction_from_a_provenance_note_beats_dates():
    body = text(5)
    note = Provenance("first_published", "RT-Deutsch", "Der Beitrag erschien zuerst auf RT-Deutsch.")
    kenfm = article("kenfm", body + "\n\n" + FOOTER, "2023-03-01", outlet="KenFM", notes=[note])
    rt = article("rt", body, "2023-03-05", outlet="RT DE")  # dated later, but KenFM says RT was first
    (edge,) = find_near_duplicates(corpus(kenfm, rt), registry=load_outlets())
    assert (edge.source_id, edge.target_id, edge.kind) == ("kenfm", "rt", "reposts")
    assert edge.direction_evidence == "first_published: Der Beitrag erschien zuerst auf RT-Deutsch."
    stored = edge.to_edge()
    assert stored.method == "minhash" and stored.evidence["direction"] == edge.direction_evidence
    assert ReuseEdge.from_edge(stored) == edge


def test_provenance_note_matching_by_alias_parent_name_and_host():
    matcher = OutletMatcher(load_outlets())
    rt_de = article("rt", "x", outlet="RT DE", url="https://de.rt.com/europa/123")
    assert matcher.note(
        article("k", "x", notes=[Provenance("source", "RT Deutsch", "Quelle: RT Deutsch")]), rt_de
    )
    assert matcher.note(article("k", "x", notes=[Provenance("source", "RT", "Quelle: RT")]), rt_de)  # parent
    by_url = Provenance("first_published", "", "zuerst erschienen", url="https://de.rt.com/a/1")
    assert matcher.note(article("k", "x", notes=[by_url]), rt_de)
    other = Provenance("source", "Sputnik", "Quelle: Sputnik")
    assert matcher.note(article("k", "x", notes=[other]), rt_de) is None
    credit = Provenance("image_credit", "RT DE", "Bild: RT DE")
    assert matcher.note(article("k", "x", notes=[credit]), rt_de) is None  # not a kind that names the origin
    plain = OutletMatcher(None)  # without the registry: names compared without case, spaces, hyphens
    assert plain.note(article("k", "x", notes=[Provenance("source", "rt-de", "Quelle")]), rt_de)


def test_no_edges_for_unrelated_or_empty_corpus():
    assert find_near_duplicates(corpus()) == []
    assert find_near_duplicates([]) == []
