"""One test per linking rule, on the shipped knowledge base."""

from __future__ import annotations

import pytest

from lagebild.kb import load_kb
from lagebild.link import Linker
from lagebild.model import Article, DateInfo, Mention


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(load_kb())


def link(linker: Linker, text: str, date: str | None = "2023-03-21", preceding: str = "", seen=None):
    return linker.link(text, preceding, date, seen if seen is not None else {})


@pytest.mark.parametrize("form", ["Patruschew", "Patrushev", "Патрушев", "Nikolai Patruschew"])
def test_alias_across_transliterations(linker: Linker, form: str):
    assert link(linker, form).actor_id == "lb:patrushev-nikolai"


def test_inflected_alias_and_epithet(linker: Linker):
    assert link(linker, "Putins").actor_id == "Q7747"
    assert link(linker, "Russlands").actor_id == "Q159"
    assert link(linker, "das Reich der Mitte").actor_id == "Q148"


def test_title_before_name(linker: Linker):
    result = link(linker, "Verteidigungsminister Sergej Schoigu")
    assert (result.actor_id, result.rule) == ("lb:shoigu-sergei", "alias")


def test_short_name_within_document(linker: Linker):
    seen = {"Kaschin": "doc:wassili-kaschin"}
    assert link(linker, "Kaschin", seen=seen).actor_id == "doc:wassili-kaschin"


def test_title_resolved_by_date(linker: Linker):
    assert link(linker, "der Kreml-Chef", date="2010-03").actor_id == "lb:medvedev-dmitry"
    assert link(linker, "der Kreml-Chef", date="2023").actor_id == "Q7747"
    assert link(linker, "des russischen Präsidenten", date="2005").rule == "title"


def test_demonym_phrase(linker: Linker):
    result = link(linker, "die russische Seite")
    assert (result.actor_id, result.rule) == ("Q159", "demonym")


def test_capital_as_metonym_or_place(linker: Linker):
    government = link(linker, "Peking", preceding="warnte")
    assert (government.actor_id, government.metonym) == ("Q148", True)
    place = link(linker, "Peking", preceding="in")
    assert (place.actor_id, place.metonym) == ("Q956", False)
    assert link(linker, "Kreml").actor_id == "Q159"


def test_ambiguous_needs_the_document(linker: Linker):
    open_ = link(linker, "Wang")
    assert open_.actor_id is None and "lb:wang-yi" in open_.candidates
    assert link(linker, "Wang", seen={"Yi": "lb:wang-yi"}).actor_id == "lb:wang-yi"


def test_article_level_unknown_persons_and_gazetteer(linker: Linker):
    text = "Wassili Kaschin sagte, Russland liefere Su-35-Kampfjets. Kaschin erwartet mehr. Die russische Seite schweigt."
    a = Article(
        id="x",
        source="t",
        source_format="txt",
        raw_text=text,
        clean_text=text,
        published=DateInfo("2017-07", "month", "date 2017-07", "text"),
    )
    a.mentions = [
        Mention(0, 15, "Wassili Kaschin", "PER"),
        Mention(23, 31, "Russland", "LOC"),
        Mention(58, 65, "Kaschin", "PER"),
    ]
    linked = {m.text: (m.actor_id, m.link_rule) for m in linker.link_article(a)}
    assert linked["Wassili Kaschin"] == ("doc:wassili-kaschin", "document")
    assert linked["Kaschin"] == ("doc:wassili-kaschin", "short-name")
    assert linked["Russland"] == ("Q159", "alias")
    assert linked["Su-35"][0] == "lb:su-35"
    assert {m.text: m.label for m in linker.link_article(a)}["Su-35"] == "WEAPON"
    assert linked["russische Seite"] == ("Q159", "demonym")


def test_inflected_multiword_names_and_headlines(linker: Linker):
    assert link(linker, "der Russischen Föderation").actor_id == "Q159"
    assert link(linker, "CHINA").actor_id == "Q148"
    assert link(linker, "Den Haag", preceding="in").rule == "alias"


def test_demonym_nouns_and_state_compounds(linker: Linker):
    assert link(linker, "die Amerikaner").actor_id == "Q30"
    assert link(linker, "Chinesen").actor_id == "Q148"
    assert (link(linker, "US-Regierung").actor_id, link(linker, "US-Regierung").rule) == ("Q30", "demonym")


def test_adjective_and_title_before_name(linker: Linker):
    assert link(linker, "der russische Präsident Putin").actor_id == "Q7747"
    assert link(linker, "chinesischen Präsidenten Xi Jinping").actor_id == "Q15031"


def test_organisation_names_are_not_cut_to_a_place(linker: Linker):
    assert link(linker, "Al-Kaida im Irak").actor_id != "Q796"
