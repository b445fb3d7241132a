"""Consistency checks for the actor knowledge base shipped in src/lagebild/kb/actors/*.yaml."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

KB_DIR = Path(__file__).resolve().parents[2] / "src" / "lagebild" / "kb" / "actors"

ALLOWED_TYPES = {
    "person",
    "state",
    "city",
    "organization",
    "government_body",
    "media",
    "company",
    "weapon_system",
    "treaty",
    "event",
    "region",
    "infrastructure",
}
ID_RE = re.compile(r"^(Q[1-9]\d*|lb:[a-z0-9][a-z0-9-]*)$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
SURFACE_FIELDS = ("aliases", "epithets", "demonyms")


def _load() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(KB_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, list), f"{path.name}: top level must be a list of actors"
        for entry in data:
            assert isinstance(entry, dict), f"{path.name}: every actor must be a mapping, got {entry!r}"
            out.append((path.name, entry))
    return out


ENTRIES = _load()
ACTORS = [a for _, a in ENTRIES]
BY_ID = {a.get("id"): a for a in ACTORS}


def _where(a: dict[str, Any]) -> str:
    return str(a.get("id", a.get("name")))


def _date_bounds(value: Any) -> tuple[dt.date, dt.date]:
    """Earliest and latest day a (partial) ISO date can denote."""
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, int):
        value = str(value)
    assert isinstance(value, str), f"date must be a string, got {value!r}"
    m = DATE_RE.match(value)
    assert m, f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}"
    year, month, day = int(m[1]), m[2], m[3]
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    mo = int(month)
    if day is None:
        return dt.date(year, mo, 1), dt.date(year, mo, calendar.monthrange(year, mo)[1])
    d = dt.date(year, mo, int(day))
    return d, d


def _surface_forms(a: dict[str, Any]) -> Iterator[str]:
    yield from (v for v in a.get("name", {}).values())
    for field in SURFACE_FIELDS:
        for forms in (a.get(field) or {}).values():
            yield from forms


def _refs(a: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key in ("country", "capital", "metonym_for", "maker", "operator"):
        if a.get(key):
            yield key, a[key]
    for key in ("parties", "countries"):
        for v in a.get(key) or []:
            yield key, v
    for m in a.get("members") or []:
        yield "members", m["id"] if isinstance(m, dict) else m
    for r in a.get("roles") or []:
        if r.get("org"):
            yield "roles.org", r["org"]


def _active_titles(a: dict[str, Any], title: str, on: dt.date) -> bool:
    for r in a.get("roles") or []:
        titles = [t for ts in (r.get("titles") or {}).values() for t in ts]
        if title not in titles:
            continue
        start = _date_bounds(r["from"])[0] if r.get("from") else dt.date.min
        end = _date_bounds(r["to"])[1] if r.get("to") else dt.date.max
        if start <= on <= end:
            return True
    return False


# ------------------------------------------------------------------ structure


def test_every_entry_has_id_type_and_name() -> None:
    for fname, a in ENTRIES:
        assert isinstance(a.get("id"), str) and a["id"], f"{fname}: entry without id: {a}"
        assert ID_RE.match(a["id"]), f"{fname}: id {a['id']!r} is neither a QID nor lb:<slug>"
        assert a.get("type") in ALLOWED_TYPES, f"{fname}: {a['id']}: type {a.get('type')!r} not allowed"
        name = a.get("name")
        assert isinstance(name, dict), f"{fname}: {a['id']}: name must be a mapping language -> string"
        assert name.get("de") or name.get("en"), f"{fname}: {a['id']}: name needs at least de or en"
        assert all(isinstance(v, str) and v.strip() == v and v for v in name.values()), (
            f"{a['id']}: bad name {name}"
        )


def test_surface_form_fields_are_language_lists_of_strings() -> None:
    for a in ACTORS:
        for field in SURFACE_FIELDS:
            block = a.get(field)
            if block is None:
                continue
            assert isinstance(block, dict), f"{a['id']}: {field} must map language -> list"
            for lang, forms in block.items():
                assert isinstance(lang, str) and isinstance(forms, list), f"{a['id']}: {field}.{lang}"
                for f in forms:
                    assert isinstance(f, str) and f and f.strip() == f, (
                        f"{a['id']}: bad {field}.{lang} entry {f!r}"
                    )
        amb = a.get("ambiguous_aliases", [])
        assert isinstance(amb, list) and all(isinstance(x, str) and x for x in amb), (
            f"{a['id']}: ambiguous_aliases"
        )


def test_ids_unique_across_files() -> None:
    seen: dict[str, str] = {}
    for fname, a in ENTRIES:
        assert a["id"] not in seen, f"id {a['id']} defined in {seen.get(a['id'])} and {fname}"
        seen[a["id"]] = fname


def test_referenced_ids_exist() -> None:
    missing = [(a["id"], key, ref) for a in ACTORS for key, ref in _refs(a) if ref not in BY_ID]
    assert not missing, f"dangling references: {missing}"


def test_reference_targets_have_sensible_types() -> None:
    for a in ACTORS:
        if a.get("capital"):
            assert BY_ID[a["capital"]]["type"] == "city", f"{a['id']}: capital must be a city"
        if a.get("maker"):
            assert BY_ID[a["maker"]]["type"] == "company", f"{a['id']}: maker must be a company"
        if a.get("country"):
            assert BY_ID[a["country"]]["type"] in {"state", "region"}, f"{a['id']}: country must be a state"
        if a["type"] == "city" and a.get("metonym_for"):
            assert BY_ID[a["metonym_for"]]["type"] in {"state", "organization"}, a["id"]


def test_role_and_event_dates_are_iso_and_ordered() -> None:
    for a in ACTORS:
        for r in a.get("roles") or []:
            assert isinstance(r.get("role"), str) and r["role"], f"{a['id']}: role without name: {r}"
            start = _date_bounds(r["from"]) if "from" in r else None
            end = _date_bounds(r["to"]) if "to" in r else None
            if start and end:
                assert start[0] <= end[1], (
                    f"{_where(a)}: role {r['role']} ends before it starts ({r['from']} > {r['to']})"
                )
            if "ended" in r:
                assert isinstance(r["ended"], bool), f"{a['id']}: ended must be true/false"
        for m in a.get("members") or []:
            if isinstance(m, dict):
                s = _date_bounds(m["from"]) if "from" in m else None
                e = _date_bounds(m["to"]) if "to" in m else None
                if s and e:
                    assert s[0] <= e[1], f"{a['id']}: member {m['id']} dates out of order"
        if "date" in a:
            s = _date_bounds(a["date"])
            if "end" in a:
                assert s[0] <= _date_bounds(a["end"])[1], f"{a['id']}: end before date"


def test_media_fields() -> None:
    domains: dict[str, str] = {}
    for a in ACTORS:
        if "state_controlled" in a:
            assert isinstance(a["state_controlled"], bool), f"{a['id']}: state_controlled must be true/false"
        for d in a.get("domains") or []:
            assert re.match(r"^[a-z0-9.-]+\.[a-z]{2,}$", d), f"{a['id']}: bad domain {d!r}"
            assert d not in domains, f"domain {d} listed for {domains[d]} and {a['id']}"
            domains[d] = a["id"]


def test_no_unambiguous_surface_form_is_shared() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    ambiguous: dict[str, set[str]] = defaultdict(set)
    for a in ACTORS:
        for f in _surface_forms(a):
            owners[f].add(a["id"])
        for f in a.get("ambiguous_aliases", []):
            ambiguous[f].add(a["id"])
    shared = {f: sorted(ids) for f, ids in owners.items() if len(ids) > 1}
    assert not shared, f"surface forms listed for several actors (move them to ambiguous_aliases): {shared}"
    contradicting = {
        f: (sorted(owners[f]), sorted(ambiguous[f]))
        for f in ambiguous
        if f in owners and ambiguous[f] - owners[f]
    }
    assert not contradicting, (
        f"forms that are an alias of one actor but ambiguous for another: {contradicting}"
    )


def test_coverage() -> None:
    assert len(ACTORS) >= 400
    states = [a for a in ACTORS if a["type"] == "state"]
    assert len(states) >= 195
    for a in states:
        if a["id"].startswith("Q"):
            assert a.get("demonyms") or a.get("ambiguous_aliases"), f"{a['name']['en']}: no demonyms"


# ------------------------------------------------------------------ spot checks


def _actors_with_form(form: str) -> list[dict[str, Any]]:
    return [a for a in ACTORS if form in set(_surface_forms(a))]


def _china() -> dict[str, Any]:
    (china,) = [a for a in ACTORS if a["type"] == "state" and a["name"].get("en") == "China"]
    return china


@pytest.mark.parametrize("form", ["Patruschew", "Patrushev", "Патрушев"])
def test_patrushev_forms_link_to_one_security_council_secretary(form: str) -> None:
    found = _actors_with_form(form)
    assert len(found) == 1, f"{form!r} -> {[a['id'] for a in found]}"
    (patrushev,) = found
    assert {a["id"] for a in map(_actors_with_form, ["Patruschew", "Patrushev", "Патрушев"]) for a in a} == {
        patrushev["id"]
    }
    sec = [r for r in patrushev["roles"] if "Security Council" in r["role"] and "Secretary" in r["role"]]
    assert any(str(r["from"]).startswith("2008") and str(r["to"]).startswith("2024") for r in sec), sec


def test_peking_is_a_metonym_for_china() -> None:
    (peking,) = _actors_with_form("Peking")
    assert peking["type"] == "city"
    assert peking["metonym_for"] == _china()["id"]


def test_reich_der_mitte_is_an_epithet_of_china() -> None:
    assert "Reich der Mitte" in _china()["epithets"]["de"]


def test_kremlin_is_a_government_body_standing_for_russia() -> None:
    (kreml,) = _actors_with_form("Kreml")
    (russia,) = _actors_with_form("Russland")
    assert kreml["type"] == "government_body" and kreml["metonym_for"] == russia["id"]


@pytest.mark.parametrize(
    ("on", "expected"),
    [("2005-06-01", "Wladimir Putin"), ("2010-06-01", "Dmitri Medwedew"), ("2023-06-01", "Wladimir Putin")],
)
def test_kreml_chef_title_resolves_by_date(on: str, expected: str) -> None:
    holders = [a["name"]["de"] for a in ACTORS if _active_titles(a, "Kreml-Chef", dt.date.fromisoformat(on))]
    assert holders == [expected]


@pytest.mark.parametrize(
    ("form", "name_en"),
    [
        ("Lawrow", "Sergey Lavrov"),
        ("Shoigu", "Sergei Shoigu"),
        ("Selenskyj", "Volodymyr Zelensky"),
        ("Zelenskyy", "Volodymyr Zelensky"),
        ("Peskow", "Dmitry Peskov"),
        ("Medwedew", "Dmitry Medvedev"),
        ("习近平", "Xi Jinping"),
        ("Kiew", "Kyiv"),
        ("SOZ", "Shanghai Cooperation Organisation"),
        ("Triumf", "S-400"),
        ("TASS", "TASS"),
    ],
)
def test_known_forms(form: str, name_en: str) -> None:
    assert [a["name"]["en"] for a in _actors_with_form(form)] == [name_en]


@pytest.mark.parametrize("form", ["Li", "Wang", "Kim"])
def test_shared_surnames_are_only_ambiguous(form: str) -> None:
    assert not _actors_with_form(form)
    assert len([a for a in ACTORS if form in a.get("ambiguous_aliases", [])]) >= 2
