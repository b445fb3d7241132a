"""Consistency checks for the outlet registry shipped in src/lagebild/kb/outlets/*.yaml.

The files are read as plain YAML here (independently of the loader), so a loader bug cannot hide a data
error; the last tests check that the loader accepts the shipped files and agrees with them.
"""

from __future__ import annotations

import calendar
import collections
import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from lagebild.kb import load_kb
from lagebild.outlets import FACT_KINDS, OUTLET_TYPES, load_outlets
from lagebild.outlets.codes import COUNTRIES, LANGUAGES

OUTLET_DIR = Path(__file__).resolve().parents[2] / "src" / "lagebild" / "kb" / "outlets"
ID_RE = re.compile(r"^outlet:[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DOMAIN_RE = re.compile(r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*$")
FIELDS = {
    "id",
    "name",
    "aliases",
    "domains",
    "country",
    "language",
    "type",
    "actor",
    "parent",
    "facts",
    "note",
}


def _load() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(OUTLET_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, list), f"{path.name}: top level must be a list of outlets"
        out += [(path.name, entry) for entry in data]
    return out


ENTRIES = _load()
IDS = {e["id"] for _, e in ENTRIES}


def _valid_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    m = DATE_RE.match(value)
    if not m:
        return False
    year, month, day = int(m[1]), m[2], m[3]
    if month is not None and not 1 <= int(month) <= 12:
        return False
    if day is not None:
        assert month is not None
        return 1 <= int(day) <= calendar.monthrange(year, int(month))[1]
    return True


def test_at_least_150_outlets() -> None:
    assert len(ENTRIES) >= 150, len(ENTRIES)


def test_ids_are_unique_and_well_formed() -> None:
    counts = collections.Counter(e["id"] for _, e in ENTRIES)
    assert not [i for i, n in counts.items() if n > 1], "duplicate ids"
    for fname, e in ENTRIES:
        assert ID_RE.match(e["id"]), f"{fname}: bad id {e['id']!r}"


def test_fields_and_enums() -> None:
    for fname, e in ENTRIES:
        where = f"{fname}: {e['id']}"
        assert set(e) <= FIELDS, f"{where}: unknown fields {set(e) - FIELDS}"
        assert isinstance(e.get("name"), str) and e["name"].strip(), f"{where}: name"
        assert e.get("type") in OUTLET_TYPES, f"{where}: type {e.get('type')!r}"
        assert e.get("country") in COUNTRIES, (
            f"{where}: country {e.get('country')!r} is not ISO 3166-1 alpha-2"
        )
        langs = e.get("language")
        assert isinstance(langs, list) and langs, f"{where}: language must be a non-empty list"
        assert all(code in LANGUAGES for code in langs), f"{where}: language {langs} not ISO 639-1"
        for key in ("aliases", "domains"):
            values = e.get(key, [])
            assert isinstance(values, list) and all(isinstance(v, str) and v.strip() for v in values), (
                f"{where}: {key} must be a list of strings"
            )


def test_domains_are_hosts_and_unique() -> None:
    owner: dict[str, str] = {}
    for fname, e in ENTRIES:
        for domain in e.get("domains", []):
            assert DOMAIN_RE.match(domain) and not domain.startswith("www."), (
                f"{fname}: {e['id']}: {domain!r}"
            )
            assert domain not in owner, f"{domain} claimed by {owner.get(domain)} and {e['id']}"
            owner[domain] = e["id"]


def test_facts_have_kind_text_source_and_iso_dates() -> None:
    n = 0
    for fname, e in ENTRIES:
        for fact in e.get("facts", []):
            n += 1
            where = f"{fname}: {e['id']}: {fact}"
            assert set(fact) <= {"kind", "text", "date", "source"}, where
            assert fact.get("kind") in FACT_KINDS, where
            assert isinstance(fact.get("text"), str) and fact["text"].strip(), where
            assert isinstance(fact.get("source"), str) and fact["source"].strip(), f"{where}: no source"
            if "date" in fact:
                assert _valid_date(fact["date"]), f"{where}: date is not a quoted ISO date"
    assert n >= 200, n


def test_parents_exist_and_do_not_loop() -> None:
    parents = {e["id"]: e.get("parent") for _, e in ENTRIES}
    for outlet_id, parent in parents.items():
        seen = {outlet_id}
        while parent is not None:
            assert parent in IDS, f"{outlet_id}: parent {parent} does not exist"
            assert parent not in seen, f"{outlet_id}: parent chain loops"
            seen.add(parent)
            parent = parents[parent]


def test_actor_references_exist_in_the_actor_kb() -> None:
    kb = load_kb()
    for fname, e in ENTRIES:
        if "actor" in e:
            assert e["actor"] in kb.actors, f"{fname}: {e['id']}: actor {e['actor']} not in the actor KB"


def test_every_media_actor_with_a_domain_has_an_outlet() -> None:
    kb = load_kb()
    linked = {e.get("actor") for _, e in ENTRIES}
    missing = [a.id for a in kb.actors.values() if a.type == "media" and a.domains and a.id not in linked]
    assert not missing, f"media actors without an outlet entry: {missing}"


def test_linked_outlets_share_a_domain_with_their_actor() -> None:
    kb = load_kb()
    for fname, e in ENTRIES:
        actor = kb.actors.get(e.get("actor", ""))
        if actor is not None and actor.domains and e.get("domains"):
            assert set(actor.domains) & set(e["domains"]), (
                f"{fname}: {e['id']} and {actor.id} share no domain"
            )


def test_no_name_or_alias_is_claimed_by_two_outlets() -> None:
    owners: dict[str, set[str]] = collections.defaultdict(set)
    for _, e in ENTRIES:
        for form in [e["name"], *e.get("aliases", [])]:
            owners[" ".join(form.split()).casefold()].add(e["id"])
    shared = {form: ids for form, ids in owners.items() if len(ids) > 1}
    assert not shared, shared


def test_the_brief_s_outlets_are_present() -> None:
    required = (
        "rt rt-de sputnik tass ria-novosti rossiya-segodnya meduza novaya-gazeta nezavisimaya-gazeta kommersant "
        "izvestia xinhua cgtn cctv global-times peoples-daily china-daily kenfm apolut nachdenkseiten "
        "anti-spiegel compact tichys-einblick achgut cnn bbc nyt reuters ap afp foreign-affairs economist "
        "guardian al-jazeera swp dgap merics carnegie russtrat valdai-club msn yahoo-news gmx web-de t-online"
    )
    missing = [slug for slug in required.split() if f"outlet:{slug}" not in IDS]
    assert not missing, missing


@pytest.mark.parametrize(
    "kind", ["public_broadcaster", "state_controlled", "blog", "aggregator", "think_tank"]
)
def test_each_type_is_represented(kind: str) -> None:
    assert sum(e["type"] == kind for _, e in ENTRIES) >= 5


def test_loader_accepts_the_shipped_files() -> None:
    registry = load_outlets()
    assert len(registry) == len(ENTRIES)
    assert registry.by_id("outlet:rt-de") is not None
    facts = [f for o in registry for f in o.facts]
    assert all(f.source for f in facts)
    assert not [o for o in registry if o.labels], "no reliability label may be shipped with the registry"


def test_eu_suspension_of_rt_and_sputnik_is_recorded() -> None:
    registry = load_outlets()
    for outlet_id in ("outlet:rt", "outlet:rt-de", "outlet:sputnik"):
        outlet = registry.by_id(outlet_id)
        assert outlet is not None
        assert any(
            f.kind == "legal_status" and f.date == "2022-03-01" and "2022/350" in f.source
            for f in outlet.facts
        ), outlet_id


def test_dates_are_not_in_the_future() -> None:
    today = dt.date.today().isoformat()
    for fname, e in ENTRIES:
        for fact in e.get("facts", []):
            if "date" in fact:
                assert fact["date"] <= today, f"{fname}: {e['id']}: {fact}"


def test_metadata_outlet_domains_are_registered() -> None:
    """Every domain in the metadata stage's ``[outlet_domains]`` table resolves to an outlet, and where the
    table's display name is an unambiguous outlet name, it names the same outlet."""
    rules = OUTLET_DIR.parents[1] / "rules" / "common.toml"
    table = tomllib.loads(rules.read_text(encoding="utf-8")).get("outlet_domains", {})
    registry = load_outlets()
    for domain, name in table.items():
        outlet = registry.by_domain(domain)
        assert outlet is not None, f"{domain} ({name}) is not in the outlet registry"
        named = registry.by_name(name)
        assert named is None or named.id == outlet.id, (
            f"{domain}: {name} -> {named.id}, domain -> {outlet.id}"
        )
