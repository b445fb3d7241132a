"""Event extraction, one construction or PLOVER category per test (German and English)."""

from __future__ import annotations

import pytest

from lagebild.errors import ConfigError
from lagebild.events import PLOVER, extract_events, load_lexicon
from lagebild.events.lexicon import parse_lexicon
from lagebild.model import Event
from tests.events.helpers import article

RU, CN, US, UA, EU = "Q159", "Q148", "Q30", "Q212", "Q458"


def one(events: list[Event], action: str) -> Event:
    hits = [e for e in events if e.action == action]
    assert len(hits) == 1, f"expected one {action}: {events}"
    return hits[0]


# --- lexicons -------------------------------------------------------------------------------------


def test_lexicons_cover_every_plover_category_in_both_languages():
    for lang in ("de", "en"):
        assert {e.action for e in load_lexicon(lang).entries} == set(PLOVER)


def test_bad_lexicon_is_a_config_error():
    with pytest.raises(ConfigError, match="PLOVER"):
        parse_lexicon('[[entry]]\naction = "HUG"\nterms = ["umarm"]\n', "de", "bad.toml")
    with pytest.raises(ConfigError, match="bad.toml"):
        parse_lexicon("[[entry]\n", "de", "bad.toml")


# --- constructions --------------------------------------------------------------------------------


def test_consult_phone_between_persons_with_date_and_source():
    a = article(
        [
            "Das Institut verweist auf ein Telefongespräch zwischen den Außenministern Russlands und Chinas, "
            "Sergei Lawrow und Wang Yi, das am 4. Februar 2021 stattgefunden habe, so RusStrat."
        ],
        [
            ("Russlands", "LOC", RU),
            ("Chinas", "LOC", CN),
            ("Sergei Lawrow", "PER", "lb:lavrov-sergey"),
            ("Wang Yi", "PER", "lb:wang-yi"),
            ("RusStrat", "ORG", "lb:russtrat"),
        ],
        [("4. Februar 2021", "2021-02-04")],
    )
    ev = one(extract_events(a), "CONSULT")
    assert (ev.actor, ev.target, ev.mode, ev.time) == (
        "lb:lavrov-sergey",
        "lb:wang-yi",
        "phone",
        "2021-02-04",
    )
    assert ev.trigger == "Telefongespräch"
    assert ev.reported and ev.source == "RusStrat" and ev.status == "factual"


def test_consult_between_states_named_by_capitals():
    a = article(
        ["Gestern fand ein Treffen zwischen Moskau und Peking statt."],
        [("Moskau", "LOC", "Q649"), ("Peking", "LOC", "Q956")],
    )
    ev = one(extract_events(a), "CONSULT")
    assert (ev.actor, ev.target, ev.mode) == (RU, CN, "meeting")


def test_consult_subject_and_mit_target_and_place():
    a = article(
        ["Putin traf Xi Jinping in Peking."],
        [("Putin", "PER", "Q7747"), ("Xi Jinping", "PER", "Q15031"), ("Peking", "LOC", "Q956")],
    )
    ev = one(extract_events(a), "CONSULT")
    assert (ev.actor, ev.target, ev.place) == ("Q7747", "Q15031", "Peking")


def test_consult_visit_english():
    a = article(
        ["Chinese President Xi Jinping visited Moscow on March 20, 2023."],
        [("Xi Jinping", "PER", "Q15031"), ("Moscow", "LOC", "Q649")],
        [("March 20, 2023", "2023-03-20")],
        language="en",
    )
    ev = one(extract_events(a), "CONSULT")
    assert (ev.actor, ev.target, ev.mode, ev.time) == ("Q15031", RU, "visit", "2023-03-20")


def test_aid_arms_delivery_supplier_and_nach_target_in_reported_speech():
    text = (
        "dass Russland im vorigen Jahr Waffen nach China für mehr als drei Milliarden Dollar geliefert habe"
    )
    a = article(
        [f"Verteidigungsminister Sergej Schoigu sagte kürzlich, {text}."],
        [("Sergej Schoigu", "PER", "lb:shoigu-sergei"), ("Russland", "LOC", RU), ("China", "LOC", CN)],
        [("vorigen Jahr", "2016")],
        published="2017-07",
        quotes=[(text, "Sergej Schoigu", "lb:shoigu-sergei")],
    )
    ev = one(extract_events(a), "AID")
    assert (ev.actor, ev.target, ev.mode, ev.time) == (RU, CN, "military", "2016")
    assert ev.reported and ev.source == "Sergej Schoigu" and ev.quote == 0


def test_aid_worded_from_the_recipient_takes_the_weapons_country_as_supplier():
    a = article(
        ["In diesem Jahr wird China mehrere Su-35-Kampfjets erhalten."],
        [("China", "LOC", CN), ("Su-35", "WEAPON", "lb:su-35")],
        [("diesem Jahr", "2017")],
        published="2017-07",
    )
    ev = one(extract_events(a), "AID")
    assert (ev.actor, ev.target, ev.time, ev.status) == (RU, CN, "2017", "planned")


def test_aid_noun_with_an_target_english_sale():
    a = article(
        ["Russia sold S-400 systems to China in 2014."],
        [("Russia", "LOC", RU), ("S-400", "WEAPON", "lb:s-400"), ("China", "LOC", CN)],
        [("2014", "2014")],
        language="en",
    )
    ev = one(extract_events(a), "AID")
    assert (ev.actor, ev.target, ev.mode, ev.time) == (RU, CN, "military", "2014")


def test_agree_sign_german_and_english():
    de = article(
        ["Russland und China unterzeichneten am 16. Juli 2001 einen Freundschaftsvertrag."],
        [("Russland", "LOC", RU), ("China", "LOC", CN)],
        [("16. Juli 2001", "2001-07-16")],
    )
    evs = [e for e in extract_events(de) if e.action == "AGREE"]
    assert {(e.actor, e.time) for e in evs} == {(RU, "2001-07-16"), (CN, "2001-07-16")}
    en = article(
        ["The EU agreed a deal with Ukraine."], [("EU", "ORG", EU), ("Ukraine", "LOC", UA)], language="en"
    )
    ev = one(extract_events(en), "AGREE")
    assert (ev.actor, ev.target) == (EU, UA)


def test_sanction_impose_with_gegen_target():
    a = article(
        ["Die EU verhängte neue Sanktionen gegen Russland."], [("EU", "ORG", EU), ("Russland", "LOC", RU)]
    )
    ev = one(extract_events(a), "SANCTION")
    assert (ev.actor, ev.target, ev.mode) == (EU, RU, "economic")


def test_threaten_coordinated_actors_give_one_event_each():
    a = article(
        ["Die EU und die Vereinigten Staaten haben China gewarnt."],
        [("EU", "ORG", EU), ("Vereinigten Staaten", "LOC", US), ("China", "LOC", CN)],
    )
    evs = [e for e in extract_events(a) if e.action == "THREATEN"]
    assert {(e.actor, e.target) for e in evs} == {(EU, CN), (US, CN)}


def test_threaten_english():
    a = article(
        ["The United States warned China."],
        [("United States", "LOC", US), ("China", "LOC", CN)],
        language="en",
    )
    ev = one(extract_events(a), "THREATEN")
    assert (ev.actor, ev.target) == (US, CN)


def test_cooperate_military_exercise_from_demonym_adjective():
    a = article(["In der Ostsee verläuft gerade ein russisch-chinesisches Marinemanöver."])
    ev = one(extract_events(a), "COOPERATE")
    assert (ev.actor, ev.target, ev.mode) == (RU, CN, "military")


def test_mobilize():
    a = article(["Israel mobilisierte Tausende Reservisten."], [("Israel", "LOC", "Q801")])
    assert one(extract_events(a), "MOBILIZE").actor == "Q801"


def test_assault_passive_agent_and_target():
    a = article(
        ["Der Gazastreifen wurde am Samstag von Israel angegriffen."],
        [("Gazastreifen", "LOC", None), ("Israel", "LOC", "Q801")],
        [("Samstag", "2009-01-03")],
    )
    ev = one(extract_events(a), "ASSAULT")
    assert (ev.actor, ev.time) == ("Q801", "2009-01-03")


def test_assault_english_invasion():
    a = article(
        ["Russia launched an attack on Ukraine."],
        [("Russia", "LOC", RU), ("Ukraine", "LOC", UA)],
        language="en",
    )
    ev = one(extract_events(a), "ASSAULT")
    assert (ev.actor, ev.target, ev.mode) == (RU, UA, "military")


def test_request_von_target():
    a = article(
        ["Zudem verlangt Washington von Peking Sanktionen gegen Nordkorea."],
        [("Washington", "LOC", US), ("Peking", "LOC", "Q956"), ("Nordkorea", "LOC", "Q423")],
    )
    ev = one(extract_events(a), "REQUEST")
    assert (ev.actor, ev.target) == (US, CN)


def test_request_english():
    a = article(
        ["Germany demanded a ceasefire from Russia."],
        [("Germany", "LOC", "Q183"), ("Russia", "LOC", RU)],
        language="en",
    )
    assert (one(extract_events(a), "REQUEST").actor, one(extract_events(a), "REQUEST").target) == ("Q183", RU)


def test_accuse_separable_verb():
    a = article(
        ["Kiew wirft Moskau Kriegsverbrechen vor."], [("Kiew", "LOC", "Q1899"), ("Moskau", "LOC", "Q649")]
    )
    ev = one(extract_events(a), "ACCUSE")
    assert (ev.actor, ev.target) == (UA, RU)


def test_reject_and_english_reject():
    de = article(["China lehnte den Vorschlag der USA ab."], [("China", "LOC", CN), ("USA", "LOC", US)])
    assert one(extract_events(de), "REJECT").actor == CN
    en = article(
        ["Serbia rejected the EU mission."], [("Serbia", "LOC", "Q403"), ("EU", "ORG", EU)], language="en"
    )
    assert one(extract_events(en), "REJECT").actor == "Q403"


def test_protest():
    a = article(
        ["Tausende protestierten in Kairo gegen Mubarak."],
        [("Kairo", "LOC", "Q85"), ("Mubarak", "PER", None)],
    )
    ev = one(extract_events(a), "PROTEST")
    assert (ev.target, ev.place) == ("Mubarak", "Kairo")


def test_support():
    a = article(
        ["Xi Jinping unterstützt Moskau in Fragen der Sicherheit."],
        [("Xi Jinping", "PER", "Q15031"), ("Moskau", "LOC", "Q649")],
    )
    ev = one(extract_events(a), "SUPPORT")
    assert (ev.actor, ev.target) == ("Q15031", RU)


def test_retreat_and_coerce_and_concede():
    a = article(
        [
            "Italien zieht seine Truppen aus dem Irak zurück.",
            "Die Polizei hat Karadžić festgenommen.",
            "Ägypten hat die Aktivisten freigelassen.",
        ],
        [
            ("Italien", "LOC", "Q38"),
            ("Irak", "LOC", "Q796"),
            ("Polizei", "ORG", None),
            ("Karadžić", "PER", None),
            ("Ägypten", "LOC", "Q79"),
        ],
    )
    events = extract_events(a)
    assert one(events, "RETREAT").actor == "Q38"
    coerce = one(events, "COERCE")
    assert (coerce.actor, coerce.target, coerce.mode) == ("Polizei", "Karadžić", "legal")
    assert one(events, "CONCEDE").actor == "Q79"


# --- time, attribution, status, negation ------------------------------------------------------------


def test_heute_takes_the_publication_date_when_no_tagger_ran():
    a = article(["Heute telefonierte Putin mit Xi."], [("Putin", "PER", "Q7747"), ("Xi", "PER", "Q15031")])
    ev = one(extract_events(a), "CONSULT")
    assert (ev.time, ev.mode, ev.target) == ("2021-02-14", "phone", "Q15031")


def test_no_time_without_expression_and_vague_values_give_none():
    a = article(
        ["Putin traf kürzlich Xi."],
        [("Putin", "PER", "Q7747"), ("Xi", "PER", "Q15031")],
        [("kürzlich", "PAST_REF")],
    )
    assert one(extract_events(a), "CONSULT").time is None


def test_laut_source_marks_reported():
    a = article(
        ["Laut CCTV lobte Xi Jinping Russland."],
        [("CCTV", "MEDIA", "lb:cctv"), ("Xi Jinping", "PER", "Q15031"), ("Russland", "LOC", RU)],
    )
    ev = one(extract_events(a), "SUPPORT")
    assert (ev.actor, ev.target, ev.reported, ev.source) == ("Q15031", RU, True, "CCTV")


def test_speech_act_of_the_actor_is_asserted_not_reported():
    a = article(
        ["Xi betonte, dass man Moskau unterstütze."],
        [("Xi", "PER", "Q15031"), ("Moskau", "LOC", "Q649")],
        quotes=[("dass man Moskau unterstütze", "Xi", "Q15031")],
    )
    ev = one(extract_events(a), "SUPPORT")
    assert ev.actor in ("Q15031", RU)


def test_the_speakers_own_act_relayed_by_a_medium_stays_reported():
    # The quote tagger may read "Laut CCTV lobte Xi …" as Xi's statement that CCTV reports.
    a = article(
        ["Laut CCTV lobte Xi Jinping Russland."],
        [("CCTV", "MEDIA", "lb:cctv"), ("Xi Jinping", "PER", "Q15031"), ("Russland", "LOC", RU)],
        quotes=[("lobte Xi Jinping Russland", "Xi Jinping", "Q15031")],
    )
    a.quotes[0].reported_by = "CCTV"
    ev = one(extract_events(a), "SUPPORT")
    assert (ev.actor, ev.reported, ev.source, ev.quote) == ("Q15031", True, "CCTV", 0)
    a.quotes[0].reported_by = None  # Xi's own words about his own act: asserted, not reported
    ev = one(extract_events(a), "SUPPORT")
    assert (ev.reported, ev.source, ev.quote) == (False, None, None)


def test_planned_for_future_and_future_date():
    a = article(
        [
            "Bald beginnen die Lieferungen von S-400 an China.",
            "Die Außenminister treffen sich am 3. März 2021.",
        ],
        [("S-400", "WEAPON", "lb:s-400"), ("China", "LOC", CN)],
        [("3. März 2021", "2021-03-03")],
    )
    events = extract_events(a)
    aid = one(events, "AID")
    assert (aid.actor, aid.target, aid.status) == (RU, CN, "planned")
    assert one(events, "CONSULT").status == "planned"


def test_negated_and_hypothetical_events_are_dropped():
    a = article(
        [
            "Es wurden nicht unbedingt wichtige politische Vereinbarungen getroffen.",
            "Vorerst wollen Moskau und Peking keine solchen Verpflichtungen unterzeichnen.",
            "Falls die Amerikaner ihren Druck ausbauen, würde Russland China unterstützen.",
            "Russia did not attack Ukraine.",
        ],
        [
            ("Moskau", "LOC", "Q649"),
            ("Peking", "LOC", "Q956"),
            ("Russland", "LOC", RU),
            ("China", "LOC", CN),
            ("Russia", "LOC", RU),
            ("Ukraine", "LOC", UA),
        ],
    )
    assert extract_events(a) == []


def test_nicht_nur_is_not_a_negation():
    a = article(
        ["Russland liefert nicht nur Waffen an China."], [("Russland", "LOC", RU), ("China", "LOC", CN)]
    )
    assert one(extract_events(a), "AID").target == CN


def test_excluded_words_are_not_triggers():
    a = article(["Die Drohne flog über das Gebiet.", "Der Treffer war präzise."])
    assert extract_events(a) == []


def test_nominal_trigger_with_the_forces_of_a_state_names_the_actor():
    a = article(
        ["D'Alema kündigte den Abzug der italienischen Truppen aus dem Irak an."],
        [("D'Alema", "PER", "doc:massimo-d-alema"), ("Irak", "LOC", "Q796")],
    )
    ev = one(extract_events(a), "RETREAT")
    assert (ev.actor, ev.target) == ("Q38", "Q796")


def test_demonym_before_a_nominal_trigger_is_its_actor():
    a = article(
        ["Bislang hatte China sich geweigert, den russischen Überfall auf die Ukraine zu verurteilen."],
        [("China", "LOC", CN), ("Ukraine", "LOC", UA)],
    )
    ev = one(extract_events(a), "ASSAULT")
    assert (ev.actor, ev.target) == (RU, UA)
    b = article(["Er kritisierte die westlichen Sanktionen gegen Russland."], [("Russland", "LOC", RU)])
    ev = one(extract_events(b), "SANCTION")
    assert (ev.actor, ev.target) == ("lb:western-world", RU)


def test_hypothetical_markers_after_the_triggers_clause_do_not_drop_it():
    a = article(
        [
            "Zudem verlangt Washington von Peking Sanktionen gegen Nordkorea, die dessen Bevölkerung treffen könnten.",
            "Ein Bündnis könnten die Chinesen akzeptieren, etwa im Falle einer Waffenlieferung an Taiwan.",
        ],
        [
            ("Washington", "LOC", US),
            ("Peking", "LOC", "Q956"),
            ("Nordkorea", "LOC", "Q423"),
            ("Taiwan", "LOC", "Q865"),
        ],
    )
    events = extract_events(a)
    assert one(events, "REQUEST").sentence == 0
    assert not [e for e in events if e.action == "AID"]  # "könnten" before the trigger's clause
