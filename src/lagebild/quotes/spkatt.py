"""Read the SpkAtt-2023 task 2 corpus (German WikiNews with speaker-attribution annotation).

Each JSON file holds ``Sentences`` (token lists) and ``Annotations``; every role is a list of
``"sentence:token"`` strings. :class:`Doc` turns them into document-level token indices, the unit
the tagger and the evaluator work with.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lagebild.errors import InputError

__all__ = ["ROLES", "Group", "Doc", "read_doc", "read_split"]

ROLES = ("Cue", "Source", "Message", "Addr")
_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")


@dataclass
class Group:
    """One attribution: its message and roles as sorted document token indices."""

    form: str | None
    roles: dict[str, list[int]] = field(default_factory=dict)
    nested: bool = False

    @property
    def message(self) -> list[int]:
        return self.roles.get("Message", [])


@dataclass
class Doc:
    name: str
    sentences: list[list[str]]
    groups: list[Group]

    @property
    def date(self) -> str | None:
        found = _DATE.search(self.name)
        return found.group(1) if found else None

    @property
    def offsets(self) -> list[int]:
        """Document index of each sentence's first token."""
        out, pos = [], 0
        for sent in self.sentences:
            out.append(pos)
            pos += len(sent)
        return out

    @property
    def tokens(self) -> list[str]:
        return [t for s in self.sentences for t in s]


def _indices(refs: list[str], offsets: list[int]) -> list[int]:
    return sorted({offsets[int(s)] + int(t) for s, t in (r.split(":") for r in refs)})


def read_doc(path: Path) -> Doc:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sentences = [list(s["Tokens"]) for s in data["Sentences"]]
        offsets, pos = [], 0
        for sent in sentences:
            offsets.append(pos)
            pos += len(sent)
        groups = [
            Group(
                form=a.get("Form"),
                roles={r: _indices(a.get(r, []), offsets) for r in ROLES},
                nested=bool(a.get("IsNested", False)),
            )
            for a in data.get("Annotations", [])
        ]
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise InputError(str(path), f"not a SpkAtt document ({exc})") from exc
    return Doc(path.stem, sentences, groups)


def read_split(folder: Path) -> list[Doc]:
    files = sorted(folder.glob("*.json"))
    if not files:
        raise InputError(str(folder), "no SpkAtt *.json files here")
    return [read_doc(f) for f in files]
