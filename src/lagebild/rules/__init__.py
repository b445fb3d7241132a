"""Data-only rule files: per-language clutter, metadata and provenance patterns (TOML).

``common.toml`` applies to every language; ``<lang>.toml`` adds language-specific rules. Users add
their own files with ``clean.extra_rule_files``. Code never branches on language; it only picks
which files to load.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from lagebild.errors import ConfigError

__all__ = ["Rule", "RuleSet", "load_rules", "SHIPPED_LANGUAGES"]

SHIPPED_LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class Rule:
    """One pattern with what a match means. Fields not used by a section stay at defaults."""

    name: str
    reason: str
    pattern: re.Pattern[str]
    max_len: int | None = None  # only blocks up to this many characters
    whole: bool = False  # pattern must match the whole block
    then: re.Pattern[str] | None = None  # following blocks removed while they match
    next: int = 0  # also remove this many following short blocks
    kind: str = ""  # provenance kind, or metadata field
    inline: bool = False  # remove only the matched text, not the block
    language: str | None = None  # for translation notes
    first_only: bool = False  # only the first block of the text (mastheads)


@dataclass
class RuleSet:
    clutter: list[Rule] = field(default_factory=list)
    date_lines: list[Rule] = field(default_factory=list)
    author_lines: list[Rule] = field(default_factory=list)
    provenance: list[Rule] = field(default_factory=list)
    outlet_cues: list[Rule] = field(default_factory=list)
    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)  # "Englischen" -> "en"
    outlet_domains: dict[str, str] = field(default_factory=dict)


_SECTIONS = {
    "clutter": "clutter",
    "date_line": "date_lines",
    "author_line": "author_lines",
    "provenance": "provenance",
    "outlet_cue": "outlet_cues",
}


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE | re.UNICODE)
    except re.error as exc:
        raise ConfigError(f"bad pattern in {where}: {exc}") from exc


def _rule(entry: dict[str, Any], where: str) -> Rule:
    try:
        name = entry["name"]
        pattern = _compile(entry["pattern"], f"{where} rule {name!r}")
    except KeyError as exc:
        raise ConfigError(f"{where}: every rule needs 'name' and 'pattern' (missing {exc})") from exc
    then = entry.get("then")
    return Rule(
        name=name,
        reason=entry.get("reason", name),
        pattern=pattern,
        max_len=entry.get("max_len"),
        whole=bool(entry.get("whole", False)),
        then=_compile(then, f"{where} rule {name!r}") if then else None,
        next=int(entry.get("next", 0)),
        kind=entry.get("kind", ""),
        inline=bool(entry.get("inline", False)),
        language=entry.get("language"),
        first_only=bool(entry.get("first_only", False)),
    )


def _add_file(rules: RuleSet, text: str, where: str) -> None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rule file {where} is not valid TOML: {exc}") from exc
    for section, attr in _SECTIONS.items():
        getattr(rules, attr).extend(_rule(e, where) for e in data.get(section, []))
    rules.months.update({k.casefold(): int(v) for k, v in data.get("months", {}).items()})
    rules.weekdays.update({k.casefold(): int(v) for k, v in data.get("weekdays", {}).items()})
    rules.languages.update({k.casefold(): v for k, v in data.get("languages", {}).items()})
    rules.outlet_domains.update({k.casefold(): v for k, v in data.get("outlet_domains", {}).items()})


def load_rules(language: str | None, extra_files: list[str] | tuple[str, ...] = ()) -> RuleSet:
    """Rules for ``language``: common rules, the language's own, and the user's extra files.

    A language without a shipped file gets the rules of every shipped language, since pages in
    other languages still carry German or English boilerplate.
    """
    base = resources.files("lagebild").joinpath("rules")
    langs = [language] if language in SHIPPED_LANGUAGES else list(SHIPPED_LANGUAGES)
    rules = RuleSet()
    for name in ["common", *langs]:
        _add_file(rules, base.joinpath(f"{name}.toml").read_text(encoding="utf-8"), f"{name}.toml")
    for path in extra_files:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read rule file {path}: {exc.strerror}") from exc
        _add_file(rules, text, path)
    return rules
