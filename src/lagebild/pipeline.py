"""Stage registry and the pipeline that runs registered stages in configured order.

A stage is a function ``(Article, Context) -> Article`` registered with the fields it needs
and the fields it adds. The pipeline checks, before any article is processed, that every
stage's needs are met by the reader or an earlier stage.

Each article has a time budget (``pipeline.article_seconds``): past it the article fails with
:class:`TimeBudgetError` and the run goes on. In the main thread on POSIX a timer interrupts the
runaway stage itself; elsewhere (threads, Windows) the budget is checked after each stage.
"""

from __future__ import annotations

import importlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from lagebild.config import Config
from lagebild.errors import LagebildError, PipelineError, StageError
from lagebild.model import Article

__all__ = [
    "Context",
    "Stage",
    "Pipeline",
    "stage",
    "registered_stages",
    "READER_FIELDS",
    "STAGE_MODULES",
    "TimeBudgetError",
    "time_budget",
]

StageFn = Callable[[Article, "Context"], Article]

# What every reader provides.
READER_FIELDS = frozenset({"id", "source", "source_format", "raw_text", "hints", "url"})

# The modules that define the built-in stages, loaded by name the first time the stages are needed
# (``registered_stages``), in the order ``lagebild stages`` lists them. Stage modules import this
# module for ``stage`` and ``Context``; this module imports none of them, so there is no import cycle
# and importing lagebild stays cheap. A new built-in stage module is added here.
STAGE_MODULES: tuple[str, ...] = (
    "lagebild.stages.language",
    "lagebild.stages.clean",
    "lagebild.stages.metadata",
    "lagebild.stages.sentences",
    "lagebild.stages.timex",
    "lagebild.stages.encode",
    "lagebild.stages.entities",
    "lagebild.link",
    "lagebild.stages.quotes",
    "lagebild.stages.events",
)


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


class TimeBudgetError(StageError):
    """An article took longer than its time budget; it fails with this reason, the run goes on."""

    def __init__(self, stage: str, source: str, seconds: float) -> None:
        reason = f"took longer than {seconds:g} s in stage {stage} (time budget pipeline.article_seconds)"
        super().__init__(stage, source, reason)
        self.seconds = seconds


@contextmanager
def time_budget(seconds: float, where: Callable[[], tuple[str, str]]) -> Iterator[bool]:
    """Raise :class:`TimeBudgetError` in the running code once ``seconds`` have passed.

    ``where`` names the (stage, source) at that moment. Yields whether the timer is armed: only in
    the main thread, with ``setitimer``, and when no other interval timer is running (e.g. a test
    timeout), which it would otherwise replace; callers fall back to checking between steps.
    """
    armed = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not armed:
        yield False
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        stage_name, source = where()
        raise TimeBudgetError(stage_name, source, seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _load_builtin_stages() -> None:
    # Each module registers its stages with @stage when it is first imported (later calls are no-ops).
    for name in STAGE_MODULES:
        importlib.import_module(name)


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

    @contextmanager
    def blas_threads(self) -> Iterator[None]:
        """Hold BLAS to ``pipeline.blas_threads`` threads (0: the library's default) while stages run.

        One thread by default: the encoders' matrix products per article are small, and a second
        BLAS thread that waits for a busy core stalls every one of them (fast profile, 39 10kGNAD
        articles under load: 1 thread 2.1 articles/s, the default 2 threads ~1.2)."""
        threads = int(self.context.config["pipeline"]["blas_threads"])
        if threads <= 0:
            yield
            return
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=threads, user_api="blas"):
            yield

    def run(self, article: Article) -> Article:
        seconds = float(self.context.config["pipeline"].get("article_seconds", 0.0))
        start = time.monotonic()
        current = [self.stages[0].name if self.stages else ""]
        with time_budget(seconds, lambda: (current[0], article.source)):
            for st in self.stages:
                current[0] = st.name
                try:
                    article = st.fn(article, self.context)
                except LagebildError:
                    raise
                except Exception as exc:  # the per-article boundary: convert, keep the cause
                    raise StageError(st.name, article.source, f"{type(exc).__name__}: {exc}") from exc
                article.stages.append(st.name)
                # Without the timer (off the main thread) a runaway stage is only caught once it ends.
                if seconds > 0 and time.monotonic() - start > seconds:
                    raise TimeBudgetError(st.name, article.source, seconds)
        return article
