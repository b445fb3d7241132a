"""The actor knowledge base: YAML files of actors with names, aliases, roles and relations.

Shipped files live in ``lagebild/kb/actors/``; users add directories with ``kb.extra_dirs``. An actor
given again in a later file updates the earlier one (scalars replaced, lists extended). The
``KnowledgeBase`` indexes every surface form (names, aliases, epithets, demonyms, role titles) for
the linker; see ``lagebild/kb/README.md`` for the file format.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from lagebild.errors import ConfigError

__all__ = ["Actor", "Role", "KnowledgeBase", "load_kb"]


@dataclass(frozen=True)
class Role:
    role: str
    org: str | None
    start: str | None
    end: str | None
    ended: bool
    titles: tuple[str, ...]

    def holds(self, date: str | None) -> bool:
        """Whether the role was held at ``date`` (ISO, any precision); undated questions match any role."""
        if date is None:
            return True
        if self.start and date[: len(self.start)] < self.start[: len(date)]:
            return False
        if self.end and date[: len(self.end)] > self.end[: len(date)]:
            return False
        return not (self.ended and not self.end and self.start is None)


@dataclass
class Actor:
    id: str
    type: str
    name_de: str | None
    name_en: str | None
    country: str | None = None
    metonym_for: str | None = None
    roles: list[Role] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.name_de or self.name_en or self.id


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)]


def _date(value: Any) -> str | None:
    return None if value is None else str(value)


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + value
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class KnowledgeBase:
    def __init__(self, entries: Iterable[dict[str, Any]]) -> None:
        raw: dict[str, dict[str, Any]] = {}
        for entry in entries:
            raw[entry["id"]] = _merge(raw[entry["id"]], entry) if entry["id"] in raw else entry
        self.actors: dict[str, Actor] = {}
        self.forms: dict[str, set[str]] = defaultdict(set)  # exact surface form -> actor ids
        self.ambiguous: dict[str, set[str]] = defaultdict(set)
        self.demonyms: dict[str, str] = {}  # adjective/noun (base form, lower case) -> state id
        self.titles: dict[str, list[tuple[str, Role]]] = defaultdict(list)  # lower-cased title -> holders
        for actor_id, data in raw.items():
            name = data.get("name") or {}
            roles = [
                Role(
                    role=str(r.get("role", "")),
                    org=r.get("org"),
                    start=_date(r.get("from")),
                    end=_date(r.get("to")),
                    ended=bool(r.get("ended", False)),
                    titles=tuple(_strings(r.get("titles"))),
                )
                for r in data.get("roles") or []
            ]
            actor = Actor(
                id=actor_id,
                type=str(data.get("type", "")),
                name_de=name.get("de"),
                name_en=name.get("en"),
                country=data.get("country"),
                metonym_for=data.get("metonym_for"),
                roles=roles,
                domains=_strings(data.get("domains")),
                raw=data,
            )
            self.actors[actor_id] = actor
            for form in _strings(name) + _strings(data.get("aliases")) + _strings(data.get("epithets")):
                self.forms[form].add(actor_id)
            for form in _strings(data.get("ambiguous_aliases")):
                self.ambiguous[form].add(actor_id)
            for form in _strings(data.get("demonyms")):
                self.demonyms.setdefault(form.casefold(), actor_id)
            for role in roles:
                for title in role.titles:
                    self.titles[title.casefold()].append((actor_id, role))

    def __len__(self) -> int:
        return len(self.actors)

    def lookup(self, form: str) -> set[str]:
        return self.forms.get(form, set())

    def holders(self, title: str, date: str | None) -> set[str]:
        return {actor for actor, role in self.titles.get(title.casefold(), []) if role.holds(date)}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster


def _read(path: Path | Any, where: str) -> list[dict[str, Any]]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise ConfigError(f"knowledge-base file {where} is not valid YAML: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(e, dict) and "id" in e for e in data):
        raise ConfigError(f"knowledge-base file {where} must be a list of actors, each with an id")
    return data


def load_kb(extra_dirs: Iterable[str] = ()) -> KnowledgeBase:
    """The shipped actors plus every ``*.yaml`` in ``extra_dirs`` (later files update earlier ones)."""
    entries: list[dict[str, Any]] = []
    shipped = resources.files("lagebild").joinpath("kb/actors")
    for item in sorted(shipped.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            entries += _read(item, item.name)
    for folder in extra_dirs:
        path = Path(folder)
        if not path.is_dir():
            raise ConfigError(f"kb.extra_dirs: {folder} is not a directory")
        for file in sorted(path.glob("*.yaml")):
            entries += _read(file, str(file))
    return KnowledgeBase(entries)
