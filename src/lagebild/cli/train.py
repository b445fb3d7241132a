"""``lagebild train TASK``: one entry point for the training code in :mod:`lagebild.training`.

The run-time package never imports training code: this module only knows the tasks by name and
loads a task's module (``lagebild.training.tasks.<module>``) when the task runs. The tasks that need
PyTorch stop with an error naming the ``train`` extra when it is missing (``--help`` works without it).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

import typer

from lagebild.cli.common import error
from lagebild.errors import LagebildError, MissingExtraError

__all__ = ["TASKS", "Task", "run_task", "train_app"]


@dataclass(frozen=True)
class Task:
    name: str
    module: str  # under lagebild.training.tasks; has main(argv, prog) -> int
    what: str
    data: str
    time: str
    torch: bool = True

    def help(self) -> str:
        needs = "PyTorch (the train extra)" if self.torch else "NumPy only"
        return f"{self.what}. Data: {self.data}. Time: {self.time}. Needs {needs}."


TASKS = (
    Task(
        "ner",
        "ner",
        "The accurate NER model: LoRA on the e5-small encoder with a BiLSTM-CRF head "
        "(--distil: distilled from teacher models on silver news)",
        "GermEval 2014 (../shared/data/germeval2014; --distil adds SpkAtt-2023 and 10kGNAD)",
        "~25 min per model on 2 cores; make train-ner runs the whole chain, ~2.5 h",
    ),
    Task(
        "ner-fast",
        "ner_fast",
        "The fast NER model: the first encoder layers fine-tuned, distilled from accurate",
        "GermEval 2014 plus SpkAtt-2023 and 10kGNAD news labelled by accurate",
        "~80 min on one thread (labelling ~26, teacher marginals ~20, training ~34; cached)",
    ),
    Task(
        "quotes",
        "quotes",
        "The quote tagger (message, cue, source, addressee) on frozen encoder features; --encoder fast "
        "trains the fast profile's head on the shared four-layer encoder (tagger-fast.npz)",
        "SpkAtt-2023 train, scored on dev (../shared/data/speaker-attribution-news)",
        "~25 min on one core (features ~10, 16 epochs ~12); --encoder fast: features ~4 min, "
        "16 epochs ~30 min on a busy core",
    ),
    Task(
        "quotes-lora",
        "quotes_lora",
        "LoRA on the encoder together with the quote tagger, warm-started from a tagger file",
        "SpkAtt-2023 train, scored on dev after every epoch",
        "~70 min for 5 epochs on 2 cores",
    ),
    Task(
        "quote-speakers",
        "quote_speakers",
        "The speaker ranker for direct quotes, on the shipped quote tagger's tags",
        "SpkAtt-2023 train",
        "~7 min (tagging train, cached), then seconds",
        torch=False,
    ),
    Task(
        "boilerplate",
        "boilerplate",
        "The boilerplate line classifier for copied web pages",
        "the calibration sites of realpages (../shared/data/realpages)",
        "a few minutes (--cv: ~3 min more)",
        torch=False,
    ),
    Task(
        "titles",
        "titles",
        "The headline ranker for page copies",
        "the calibration sites of realpages",
        "~5 min",
        torch=False,
    ),
)
_BY_NAME = {task.name: task for task in TASKS}

train_app = typer.Typer(
    name="train",
    help="Train lagebild's models again (all of them ship: this is for reproducing or improving them).\n\n"
    "Run from a source checkout: the data is read from ../shared/data/ next to it, caches go to "
    "out/cache/, and the models are written into src/lagebild/ unless --out says otherwise. "
    "The options of a task: lagebild train TASK --help.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def run_task(name: str, args: list[str]) -> int:
    """Run task ``name`` with its command-line ``args``; return its exit status."""
    task = _BY_NAME.get(name)
    if task is None:
        raise LagebildError(f"unknown training task {name!r}; known: {', '.join(_BY_NAME)}")
    prog = f"lagebild train {name}"
    wants_help = any(arg in ("-h", "--help") for arg in args)
    if task.torch and not wants_help and not _installed("torch"):
        raise MissingExtraError(prog, "PyTorch", "train")
    module = importlib.import_module(f"lagebild.training.tasks.{task.module}")
    main: Callable[[list[str], str], int] = module.main
    return main(args, prog)


def _command(task: Task) -> Callable[[typer.Context], None]:
    def command(ctx: typer.Context) -> None:
        try:
            status = run_task(task.name, list(ctx.args))
        except KeyboardInterrupt:
            error("interrupted: the caches under out/cache/ are kept, a rerun reuses them")
            raise typer.Exit(130) from None
        except LagebildError as exc:
            error(exc)
            raise typer.Exit(2) from None
        raise typer.Exit(status)

    command.__doc__ = task.help()
    return command


for _task in TASKS:
    # The task parses its own options (argparse), --help included.
    train_app.command(
        name=_task.name,
        help=_task.help(),
        add_help_option=False,
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(_command(_task))
