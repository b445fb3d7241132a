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

    data: dict[str, Any] = field(default_factory=_defaults)

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
        for item in overrides:
            path, value = parse_override(item)
            nested: dict[str, Any] = value
            for part in reversed(path):
                nested = {part: nested}
            _merge(data, nested, "")
        return Config(data)


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
    return Config(data).with_overrides(overrides)
