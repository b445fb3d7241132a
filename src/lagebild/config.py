"""One configuration object: shipped TOML defaults, an optional user file, ``--set`` overrides."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from lagebild.errors import ConfigError

__all__ = ["Config", "load_config", "parse_override"]


# Allowed values of the numeric settings: (low, high, what the user is told); bounds inclusive, None
# for open. A value outside fails at load time with the key named, not deep inside a stage.
_RANGES: dict[str, tuple[float | None, float | None, str]] = {
    "input.max_bytes": (1, None, "a positive number of bytes"),
    "input.fetch_timeout": (0.1, None, "at least 0.1 seconds"),
    "pipeline.article_seconds": (0, None, "0 (no limit) or more seconds"),
    "pipeline.blas_threads": (0, 256, "0 (the library's default) or a number of threads"),
    "pipeline.pool_after": (0, None, "0 or more articles"),
    "language.min_chars": (0, None, "0 or more characters"),
    "clean.short_block": (0, None, "0 or more characters"),
    "ner.workers": (1, 64, "between 1 and 64 threads"),
    "encoder.max_words": (0, None, "0 or more words"),
    "store.batch_size": (1, None, "1 or more articles"),
    "report.max_articles": (0, None, "0 or more articles"),
    "reuse.threshold": (0.01, 0.99, "a Jaccard similarity between 0.01 and 0.99"),
    "reuse.num_perm": (1, 4096, "between 1 and 4,096 permutations"),
    "reuse.shingle_size": (1, 8, "between 1 and 8 words"),
    "reuse.min_words": (0, None, "0 or more words"),
    "stories.actor_weight": (0, None, "0 or more"),
    "stories.cross_weight": (0, None, "0 or more"),
    "stories.cross_cosine": (-1, 1, "a cosine between -1 and 1"),
    "stories.max_df": (0.01, 1, "a share of the articles between 0.01 and 1"),
    "stories.time_weight": (0, None, "0 or more"),
    "stories.time_scale_days": (0.01, None, "a positive number of days"),
    "stories.lead_sentences": (1, None, "1 or more sentences"),
    "stories.min_members": (1, None, "1 or more articles"),
}


# Settings that take one of a few words.
_CHOICES: dict[str, tuple[str, ...]] = {
    "clean.classifier": ("auto", "always", "never"),
    "encoder.shared": ("none", "fast"),
    "quotes.method": ("auto", "tagger", "rules"),
    "quotes.model": ("accurate", "fast"),
}


def _check_ranges(data: Mapping[str, Any]) -> None:
    choices: dict[str, tuple[str, ...]] = {**_CHOICES, "analysis.profile": tuple(data["profiles"])}
    for dotted, words in choices.items():
        section, key = dotted.split(".")
        if data[section][key] not in words:
            listed = ", ".join(f'"{w}"' for w in words)
            raise ConfigError(f"config key {dotted!r} must be one of {listed}, got {data[section][key]!r}")
    for dotted, (low, high, allowed) in _RANGES.items():
        section, key = dotted.split(".")
        value = data[section][key]
        if (low is not None and value < low) or (high is not None and value > high):
            raise ConfigError(f"config key {dotted!r} must be {allowed}, got {value!r}")
    if not data["pipeline"]["stages"]:
        raise ConfigError(
            "config key 'pipeline.stages' names no stage: give at least one, e.g. language,clean "
            "(`lagebild stages` lists them)"
        )
    workers = data["pipeline"]["workers"]  # "auto" or a number; --set gives a number as text
    count = int(workers) if isinstance(workers, str) and workers.isdigit() else workers
    if count != "auto" and (not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 64):
        raise ConfigError(
            f"config key 'pipeline.workers' must be \"auto\" or between 1 and 64, got {workers!r}"
        )


def _defaults() -> dict[str, Any]:
    text = resources.files("lagebild").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def parse_override(item: str) -> tuple[list[str], Any]:
    """Parse ``section.key=value``; the value is read as TOML, falling back to a plain string."""
    if "=" not in item:
        raise ConfigError(f"--set expects section.key=value, got {item!r}")
    key, raw = item.split("=", 1)
    path = [p for p in key.strip().split(".") if p]
    if len(path) < 2:
        raise ConfigError(f"--set key must name a section and a key (e.g. store.batch_size), got {key!r}")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    return path, value


def _merge(base: dict[str, Any], extra: Mapping[str, Any], where: str) -> None:
    for key, value in extra.items():
        if key not in base:
            raise ConfigError(f"unknown config key {where}{key!r}")
        if isinstance(base[key], dict):
            if not isinstance(value, Mapping):
                raise ConfigError(f"config key {where}{key!r} is a section, not a value")
            _merge(base[key], value, f"{where}{key}.")
        else:
            if isinstance(base[key], str) and isinstance(value, (dt.date, dt.time, int, float)):
                value = value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)
            if isinstance(base[key], bool) != isinstance(value, bool) or (
                isinstance(base[key], (int, float, str, list)) and not _compatible(base[key], value)
            ):
                raise ConfigError(
                    f"config key {where}{key!r} expects {type(base[key]).__name__}, got {value!r}"
                )
            base[key] = float(value) if isinstance(base[key], float) else value


def _compatible(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, type(default))


@dataclass(frozen=True)
class Config:
    """Read-only view of the merged configuration. ``cfg["store"]["path"]`` or ``cfg.get("store.path")``."""

    data: dict[str, Any] = field(default_factory=lambda: _with_profile(_defaults(), frozenset()))
    # Keys the user set (config file or --set): a profile does not change them.
    explicit: frozenset[str] = frozenset()

    def __getitem__(self, section: str) -> dict[str, Any]:
        value = self.data[section]
        assert isinstance(value, dict)
        return value

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ConfigError(f"unknown config key {dotted!r}")
            node = node[part]
        return node

    def with_overrides(self, overrides: Iterable[str]) -> Config:
        data = copy.deepcopy(self.data)
        explicit = set(self.explicit)
        for item in overrides:
            path, value = parse_override(item)
            nested: dict[str, Any] = value
            for part in reversed(path):
                nested = {part: nested}
            _merge(data, nested, "")
            explicit |= _dotted_keys(nested)
        _check_ranges(data)
        return Config(_with_profile(data, frozenset(explicit)), frozenset(explicit))


def _dotted_keys(tree: Mapping[str, Any], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for key, value in tree.items():
        if isinstance(value, Mapping):
            out |= _dotted_keys(value, f"{prefix}{key}.")
        else:
            out.add(f"{prefix}{key}")
    return out


def _with_profile(data: dict[str, Any], explicit: frozenset[str]) -> dict[str, Any]:
    """``data`` with the settings of ``analysis.profile`` applied to every key the user left alone.

    Every profile names the same keys, so that switching profiles replaces all of them."""
    profiles: dict[str, dict[str, Any]] = data["profiles"]
    keys = {k for settings in profiles.values() for k in settings}
    for name, settings in profiles.items():
        if set(settings) != keys:
            missing = ", ".join(sorted(keys - set(settings)))
            raise ConfigError(f"profile {name!r} must set the same keys as the others (missing: {missing})")
    profile = data["analysis"]["profile"]
    if profile not in profiles:
        choices = ", ".join(f'"{w}"' for w in profiles)
        raise ConfigError(f"config key 'analysis.profile' must be one of {choices}, got {profile!r}")
    for dotted, value in profiles[profile].items():
        if dotted in explicit:
            continue
        section, _, key = dotted.partition(".")
        if section not in data or key not in data[section]:
            raise ConfigError(f"profile {profile!r} sets unknown config key {dotted!r}")
        _merge(data, {section: {key: value}}, "")
    _check_ranges(data)
    return data


def load_config(path: str | Path | None = None, overrides: Iterable[str] = ()) -> Config:
    """Defaults, then the TOML file at ``path`` (if any), then ``section.key=value`` overrides."""
    data = _defaults()
    if path is not None:
        try:
            user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        _merge(data, user, "")
        explicit = frozenset(_dotted_keys(user))
    else:
        explicit = frozenset()
    return Config(data, explicit).with_overrides(overrides)
