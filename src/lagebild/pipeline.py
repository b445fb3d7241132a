"""Stage registry and the pipeline that runs registered stages in configured order.

A stage is a function ``(Article, Context) -> Article`` registered with the fields it needs
and the fields it adds. The pipeline checks, before any article is processed, that every
stage's needs are met by the reader or an earlier stage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lagebild.config import Config
from lagebild.errors import LagebildError, PipelineError, StageError
from lagebild.model import Article

__all__ = ["Context", "Stage", "Pipeline", "stage", "registered_stages", "READER_FIELDS"]

StageFn = Callable[[Article, "Context"], Article]

# What every reader provides.
READER_FIELDS = frozenset({"id", "source", "source_format", "raw_text", "hints", "url"})


@dataclass
class Context:
    """What stages share for a run: the config and a cache for loaded resources (rules, models)."""

    config: Config
    cache: dict[str, Any] = field(default_factory=dict)

    def resource(self, key: str, load: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = load()
        return self.cache[key]


@dataclass(frozen=True)
class Stage:
    name: str
    fn: StageFn
    needs: frozenset[str]
    adds: frozenset[str]
    doc: str


_REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, needs: tuple[str, ...], adds: tuple[str, ...]) -> Callable[[StageFn], StageFn]:
    """Register ``fn`` as pipeline stage ``name``."""

    def register(fn: StageFn) -> StageFn:
        if name in _REGISTRY and _REGISTRY[name].fn is not fn:
            raise PipelineError(f"stage {name!r} is registered twice")
        doc = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
        _REGISTRY[name] = Stage(name, fn, frozenset(needs), frozenset(adds), doc)
        return fn

    return register


def registered_stages() -> dict[str, Stage]:
    _load_builtin_stages()
    return dict(_REGISTRY)


def _load_builtin_stages() -> None:
    # Importing the module registers the stages; done lazily so importing lagebild stays cheap.
    from lagebild import stages  # noqa: F401


class Pipeline:
    def __init__(self, names: list[str], context: Context) -> None:
        available = registered_stages()
        unknown = [n for n in names if n not in available]
        if unknown:
            raise PipelineError(
                f"unknown stage(s) {', '.join(unknown)}; known: {', '.join(sorted(available))}"
            )
        have = set(READER_FIELDS)
        for name in names:
            missing = available[name].needs - have
            if missing:
                raise PipelineError(
                    f"stage {name!r} needs {', '.join(sorted(missing))}, which no earlier stage adds"
                )
            have |= available[name].adds
        self.stages = [available[n] for n in names]
        self.context = context

    @classmethod
    def from_config(cls, config: Config) -> Pipeline:
        return cls(list(config["pipeline"]["stages"]), Context(config))

    def run(self, article: Article) -> Article:
        for st in self.stages:
            try:
                article = st.fn(article, self.context)
            except LagebildError:
                raise
            except Exception as exc:  # the per-article boundary: convert, keep the cause
                raise StageError(st.name, article.source, f"{type(exc).__name__}: {exc}") from exc
            article.stages.append(st.name)
        return article
