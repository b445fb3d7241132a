"""The outlet registry: news outlets, agencies, blogs and think tanks with their domains and dated facts.

Shipped files live in ``lagebild/kb/outlets/*.yaml``; users add directories of ``*.yaml`` files in the
same format (see ``lagebild/kb/outlets/README.md``). An outlet given again in a later file updates the
earlier one: scalars are replaced, lists (aliases, domains, languages, facts) are extended.

Every entry is validated; bad data raises :class:`OutletDataError` naming the file and the entry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from lagebild.errors import ConfigError
from lagebild.outlets.codes import COUNTRIES, LANGUAGES
from lagebild.outlets.label import ReliabilityLabel

__all__ = [
    "FACT_KINDS",
    "OUTLET_TYPES",
    "Outlet",
    "OutletDataError",
    "OutletFact",
    "OutletRegistry",
    "host_of",
    "load_outlets",
]

OUTLET_TYPES = frozenset(
    {
        "public_broadcaster",
        "state_controlled",
        "private",
        "blog",
        "aggregator",
        "think_tank",
        "magazine",
        "news_agency",
    }
)
FACT_KINDS = frozenset({"ownership", "funding", "legal_status", "affiliation", "founded", "closed"})

ID_RE = re.compile(r"^outlet:[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")

_FIELDS = {
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
_FACT_FIELDS = {"kind", "text", "date", "source"}
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class OutletDataError(ConfigError):
    """An outlet file or entry is invalid; ``file`` and ``entry`` say where."""

    def __init__(self, file: str, entry: str | None, reason: str) -> None:
        where = f"{file}: {entry}" if entry else file
        super().__init__(f"outlet registry: {where}: {reason}")
        self.file = file
        self.entry = entry
        self.reason = reason


@dataclass(frozen=True)
class OutletFact:
    """A dated, sourced statement about an outlet (ownership, funding, legal status …)."""

    kind: str
    text: str
    source: str
    date: str | None = None


@dataclass
class Outlet:
    id: str
    name: str
    type: str
    country: str
    languages: tuple[str, ...]
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    actor: str | None = None
    parent: str | None = None
    facts: tuple[OutletFact, ...] = ()
    note: str | None = None
    files: tuple[str, ...] = ()  # the files that defined or updated the entry, in load order
    labels: list[ReliabilityLabel] = field(default_factory=list)  # filled only by attach_labels

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def host_of(url_or_host: str) -> str | None:
    """The lower-case host of a URL or bare host (no scheme, ``www.``, port, path); None if there is none."""
    text = url_or_host.strip()
    if not text:
        return None
    if "://" not in text:
        text = "//" + text.lstrip("/")
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    while host.startswith("www."):
        host = host[4:]
    return host or None


def _norm_name(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- reading and validating one file -------------------------------------------------------------


def _str(value: Any, what: str, file: str, entry: str, *, required: bool = True) -> str | None:
    if value is None:
        if required:
            raise OutletDataError(file, entry, f"{what} is missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise OutletDataError(file, entry, f"{what} must be a non-empty string, got {value!r}")
    return value.strip()


def _str_list(value: Any, what: str, file: str, entry: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise OutletDataError(file, entry, f"{what} must be a list, got {value!r}")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise OutletDataError(file, entry, f"{what} must hold non-empty strings, got {item!r}")
        out.append(item.strip())
    return out


def _fact(raw: Any, file: str, entry: str) -> OutletFact:
    if not isinstance(raw, dict):
        raise OutletDataError(file, entry, f"a fact must be a mapping, got {raw!r}")
    unknown = set(raw) - _FACT_FIELDS
    if unknown:
        raise OutletDataError(file, entry, f"unknown fact field(s) {sorted(unknown)}")
    kind = _str(raw.get("kind"), "fact kind", file, entry)
    if kind not in FACT_KINDS:
        raise OutletDataError(file, entry, f"fact kind {kind!r} is not one of {sorted(FACT_KINDS)}")
    date = raw.get("date")
    if date is not None and (not isinstance(date, str) or not DATE_RE.match(date)):
        raise OutletDataError(file, entry, f"fact date {date!r} is not a quoted ISO date (YYYY[-MM[-DD]])")
    return OutletFact(
        kind=kind,
        text=_str(raw.get("text"), "fact text", file, entry) or "",
        source=_str(raw.get("source"), "fact source", file, entry) or "",
        date=date,
    )


def _check_entry(raw: Any, index: int, file: str) -> dict[str, Any]:
    """Validate one raw entry; returns it with normalised values (facts as OutletFact)."""
    if not isinstance(raw, dict):
        raise OutletDataError(file, f"entry {index}", f"must be a mapping, got {type(raw).__name__}")
    outlet_id = raw.get("id")
    if not isinstance(outlet_id, str) or not ID_RE.match(outlet_id):
        raise OutletDataError(file, f"entry {index}", f"id {outlet_id!r} is not of the form outlet:<slug>")
    entry = f"entry {index} ({outlet_id})"
    unknown = set(raw) - _FIELDS
    if unknown:
        raise OutletDataError(file, entry, f"unknown field(s) {sorted(unknown)}")
    out: dict[str, Any] = {"id": outlet_id}
    for key in ("name", "country", "type", "actor", "parent", "note"):
        if key in raw:
            out[key] = _str(raw[key], key, file, entry)
    if "type" in out and out["type"] not in OUTLET_TYPES:
        raise OutletDataError(file, entry, f"type {out['type']!r} is not one of {sorted(OUTLET_TYPES)}")
    if "country" in out and out["country"] not in COUNTRIES:
        raise OutletDataError(file, entry, f"country {out['country']!r} is not an ISO 3166-1 alpha-2 code")
    if "parent" in out and not ID_RE.match(out["parent"]):
        raise OutletDataError(file, entry, f"parent {out['parent']!r} is not an outlet id")
    if "aliases" in raw:
        out["aliases"] = _str_list(raw["aliases"], "aliases", file, entry)
    if "language" in raw:
        out["language"] = _str_list(raw["language"], "language", file, entry)
        bad = [code for code in out["language"] if code not in LANGUAGES]
        if bad:
            raise OutletDataError(file, entry, f"language {bad} not ISO 639-1 code(s)")
    if "domains" in raw:
        out["domains"] = _str_list(raw["domains"], "domains", file, entry)
        for domain in out["domains"]:
            if not DOMAIN_RE.match(domain) or domain.startswith("www."):
                raise OutletDataError(
                    file, entry, f"domain {domain!r} must be a lower-case host name without scheme or www."
                )
    if "facts" in raw:
        if not isinstance(raw["facts"], list):
            raise OutletDataError(file, entry, "facts must be a list")
        out["facts"] = [_fact(f, file, entry) for f in raw["facts"]]
    return out


def _read(text: str, file: str) -> list[dict[str, Any]]:
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise OutletDataError(file, None, f"not valid YAML: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise OutletDataError(file, None, "the top level must be a list of outlets")
    return [_check_entry(raw, i, file) | {"_file": file, "_index": i} for i, raw in enumerate(data, 1)]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + value
        else:
            merged[key] = value
    return merged


def _build(raw: dict[str, Any]) -> Outlet:
    entry = f"entry {raw['_index']} ({raw['id']})"
    file = raw["_files"][-1]
    for key in ("name", "type", "country", "language"):
        if not raw.get(key):
            raise OutletDataError(file, entry, f"{key} is missing")
    return Outlet(
        id=raw["id"],
        name=raw["name"],
        type=raw["type"],
        country=raw["country"],
        languages=_unique(raw["language"]),
        domains=_unique(raw.get("domains", [])),
        aliases=tuple(a for a in _unique(raw.get("aliases", [])) if a != raw["name"]),
        actor=raw.get("actor"),
        parent=raw.get("parent"),
        facts=tuple(dict.fromkeys(raw.get("facts", []))),
        note=raw.get("note"),
        files=tuple(raw["_files"]),
    )


# --- the registry ----------------------------------------------------------------------------------


class OutletRegistry:
    """Outlets by id, with lookups by URL/host and by name or alias."""

    def __init__(self, entries: Iterable[dict[str, Any]]) -> None:
        raw: dict[str, dict[str, Any]] = {}
        for entry in entries:
            data = {k: v for k, v in entry.items() if k != "_file"}
            files = [entry["_file"]]
            old = raw.get(data["id"])
            if old is not None:
                files = old["_files"] + files
                data = _merge(old, data)
            raw[data["id"]] = data | {"_files": files}
        self.outlets: dict[str, Outlet] = {oid: _build(data) for oid, data in raw.items()}
        self._domains: dict[str, str] = {}
        self._names: dict[str, set[str]] = defaultdict(set)
        for outlet in self.outlets.values():
            where = (outlet.files[-1], f"{outlet.id}")
            for domain in outlet.domains:
                other = self._domains.get(domain)
                if other is not None and other != outlet.id:
                    first = self.outlets[other].files[-1]
                    raise OutletDataError(
                        *where, f"domain {domain!r} is already registered for {other} ({first})"
                    )
                self._domains[domain] = outlet.id
            for name in outlet.names:
                self._names[_norm_name(name)].add(outlet.id)
            if outlet.parent is not None and outlet.parent not in raw:
                raise OutletDataError(*where, f"parent {outlet.parent!r} is not a registered outlet")
        for outlet in self.outlets.values():
            self._check_cycle(outlet)

    def _check_cycle(self, outlet: Outlet) -> None:
        seen = {outlet.id}
        current = outlet
        while current.parent is not None:
            if current.parent in seen:
                raise OutletDataError(
                    outlet.files[-1], outlet.id, f"parent chain loops back to {current.parent}"
                )
            seen.add(current.parent)
            current = self.outlets[current.parent]

    def __len__(self) -> int:
        return len(self.outlets)

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self.outlets.values())

    def __contains__(self, outlet_id: object) -> bool:
        return outlet_id in self.outlets

    @property
    def domains(self) -> dict[str, str]:
        """Every registered domain and the id of the outlet it belongs to."""
        return dict(self._domains)

    def by_id(self, outlet_id: str) -> Outlet | None:
        return self.outlets.get(outlet_id)

    def by_domain(self, url_or_host: str) -> Outlet | None:
        """The outlet of a URL or host: the longest registered domain that the host equals or ends with.

        ``https://de.rt.com/russland/123`` finds RT DE (``de.rt.com``), ``https://www.rt.com/news`` RT.
        """
        host = host_of(url_or_host)
        if host is None:
            return None
        labels = host.split(".")
        for start in range(len(labels) - 1):
            outlet_id = self._domains.get(".".join(labels[start:]))
            if outlet_id is not None:
                return self.outlets[outlet_id]
        return None

    def candidates(self, text: str) -> list[Outlet]:
        """All outlets whose name or an alias equals ``text`` (case and spacing ignored), by id."""
        return [self.outlets[oid] for oid in sorted(self._names.get(_norm_name(text), ()))]

    def by_name(self, text: str) -> Outlet | None:
        """The one outlet named ``text`` (name or alias, case-insensitive); None if none or several."""
        found = self.candidates(text)
        return found[0] if len(found) == 1 else None

    def parents(self, outlet_id: str) -> list[Outlet]:
        """The chain of parent outlets, nearest first (RT DE -> [RT])."""
        chain: list[Outlet] = []
        current = self.outlets.get(outlet_id)
        while current is not None and current.parent is not None:
            current = self.outlets[current.parent]
            chain.append(current)
        return chain

    def children(self, outlet_id: str) -> list[Outlet]:
        return [o for o in self.outlets.values() if o.parent == outlet_id]


def _shipped() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    folder = resources.files("lagebild").joinpath("kb/outlets")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            entries += _read(item.read_text(encoding="utf-8"), item.name)
    return entries


def load_outlets(extra_dirs: Iterable[str | Path] = ()) -> OutletRegistry:
    """The shipped outlets plus every ``*.yaml`` in ``extra_dirs`` (later files update earlier ones)."""
    entries = _shipped()
    for folder in extra_dirs:
        path = Path(folder)
        if not path.is_dir():
            raise OutletDataError(str(path), None, "is not a directory")
        for file in sorted(path.glob("*.yaml")):
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise OutletDataError(str(file), None, f"cannot be read: {exc}") from exc
            entries += _read(text, str(file))
    return OutletRegistry(entries)
