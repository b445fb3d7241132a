"""Run the pipeline over a stream of articles on several cores, handing results back in order.

``analyze`` reads, checks and stores in the main process; the stages run here. The first
``pipeline.pool_after`` articles run in the main process, which loads every model once; only a
larger run starts the worker processes (forked where the platform allows it, so they begin with
those models already in memory). A small run (one text, a test, a demo) never pays for a pool.

Results come back in the order the articles went in, so a run stores the same rows in the same
order whatever the number of workers. A stage error or an unreadable item fails that item only,
in a worker as in the main process. A worker that dies (killed, out of memory) fails the article
it was running with that reason; the pool is started again for the rest.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from lagebild.config import Config
from lagebild.errors import ConfigError, InputError, LagebildError, StageError
from lagebild.model import Article
from lagebild.pipeline import Pipeline

__all__ = ["Failure", "ArticleRunner", "worker_count"]

T = TypeVar("T")
_MAX_AUTO_WORKERS = 4  # each worker holds its own copy of the models (~1 GB with the accurate profile)
_IN_FLIGHT_PER_WORKER = 4
_PR_SET_PDEATHSIG = 1  # prctl(2)


@dataclass(frozen=True)
class Failure:
    """Why one article failed (a stage error or an unusable item), as plain data that crosses
    process boundaries; ``stage`` is empty when the item itself was unusable."""

    source: str
    reason: str
    stage: str = ""

    @classmethod
    def of(cls, err: StageError | InputError) -> Failure:
        if isinstance(err, StageError):
            return cls(err.source, err.reason, err.stage)
        return cls(err.source, err.reason)

    def message(self) -> str:
        return f"stage {self.stage!r} failed: {self.reason}" if self.stage else self.reason


Outcome = Article | Failure
_Window = deque[tuple[T, Article | None, "Future[Any] | None"]]


def worker_count(config: Config) -> int:
    """``pipeline.workers``: a number of processes, or "auto" (the cores, at most four)."""
    value = config["pipeline"].get("workers", "auto")
    if value == "auto":
        return max(1, min(os.cpu_count() or 1, _MAX_AUTO_WORKERS))
    if isinstance(value, str) and value.isdigit():  # --set pipeline.workers=2 keeps the text type
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ConfigError(f"pipeline.workers must be a number of processes (1 or more) or 'auto', not {value!r}")


def run_one(pipeline: Pipeline, article: Article) -> Outcome:
    """The pipeline on one article; a failure of this article comes back as a :class:`Failure`."""
    try:
        return pipeline.run(article)
    except (StageError, InputError) as err:
        return Failure.of(err)


_WORKER_PIPELINE: Pipeline | None = None


def _die_with_parent() -> None:
    """On Linux, a worker ends when the main process does, even when that is killed with -9
    (a pool's workers would otherwise wait for work forever)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _start_worker(config: Config | None, parent: int) -> None:
    global _WORKER_PIPELINE
    # Ctrl-C reaches the whole process group; the main process decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if os.getppid() != parent:  # the main process ended before the line above took effect
        os._exit(1)
    if config is not None:  # spawned: nothing inherited
        _WORKER_PIPELINE = Pipeline.from_config(config)
        _WORKER_PIPELINE.blas_threads().__enter__()  # held for the worker's life


def _work(article: Article) -> Outcome | tuple[str, str]:
    assert _WORKER_PIPELINE is not None
    try:
        outcome = run_one(_WORKER_PIPELINE, article)
    except LagebildError as exc:  # not an item's failure: the main process raises it
        return (type(exc).__name__, str(exc))
    if isinstance(outcome, Article):
        outcome.token_states = None  # run-time only, large, and not stored
    return outcome


class ArticleRunner(Generic[T]):
    """Runs ``pipeline`` over the articles among a stream of items; other items pass through.

    :meth:`run` yields ``(item, outcome)`` in input order: the outcome is the analysed
    :class:`Article` or a :class:`Failure` for the items ``wanted`` selects, ``None`` for the others.
    """

    def __init__(self, pipeline: Pipeline, workers: int = 1, pool_after: int = 16) -> None:
        self.pipeline = pipeline
        self.workers = workers
        self.pool_after = pool_after
        self._pool: ProcessPoolExecutor | None = None

    def run(
        self, items: Iterable[T], wanted: Callable[[T], Article | None]
    ) -> Iterator[tuple[T, Outcome | None]]:
        window: _Window[T] = deque()
        done_here = 0
        try:
            for item in items:
                article = wanted(item)
                if article is not None and (self.workers <= 1 or done_here < self.pool_after):
                    # In the main process: no pool yet, or none wanted. Earlier items go first.
                    yield from self._drain(window)
                    done_here += 1
                    yield item, run_one(self.pipeline, article)
                    continue
                future = self._submit(article) if article is not None else None
                window.append((item, article, future))
                while len(window) > self.workers * _IN_FLIGHT_PER_WORKER:
                    yield self._next(window)
            yield from self._drain(window)
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _drain(self, window: _Window[T]) -> Iterator[tuple[T, Outcome | None]]:
        while window:
            yield self._next(window)

    def _next(self, window: _Window[T]) -> tuple[T, Outcome | None]:
        item, article, future = window.popleft()
        if future is None or article is None:
            return item, None
        try:
            result = future.result()
        except BrokenProcessPool:
            result = self._after_a_worker_died(article, window)
        if isinstance(result, tuple):
            raise LagebildError(f"{result[0]}: {result[1]}")
        outcome: Outcome = result
        return item, outcome

    def _after_a_worker_died(self, article: Article, window: _Window[T]) -> Any:
        """A worker died and took the pool down with every article in flight. This article runs
        again alone: if its worker dies too, it was the culprit and fails; then the rest go again."""
        self.close()
        try:
            result = self._submit(article).result()
        except BrokenProcessPool:
            self.close()
            result = Failure(
                article.source, "the worker process running it ended unexpectedly (killed or out of memory)"
            )
        rest = list(window)
        window.clear()
        window.extend((it, art, self._submit(art) if art is not None else None) for it, art, _ in rest)
        return result

    def _submit(self, article: Article) -> Future[Any]:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            global _WORKER_PIPELINE
            _WORKER_PIPELINE = self.pipeline  # a forked worker inherits it, models loaded
            inherit = context.get_start_method() == "fork"
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(None if inherit else self.pipeline.context.config, os.getpid()),
            )
        return self._pool.submit(_work, article)
