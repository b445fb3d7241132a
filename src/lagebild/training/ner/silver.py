"""Silver NER data for distillation: unlabelled German news labelled by a trained teacher.

Sources (none of them GermEval, so the held-out sentences stay unseen): SpkAtt-2023 train and
unlabelled (their own tokens) and 10kGNAD articles split by SoMaJo, in blocks of ``GNAD_BLOCK``
articles; sentences of 3-80 words. Each source is labelled once and cached as
``ner-silver-<source>.tsv`` (words and the teacher's Viterbi tags); a teacher's per-word label
probabilities go beside it as ``ner-silver-<source>.<teacher key>.soft.npy``. Used by
``lagebild train ner-fast`` (the ``fast`` student) and ``lagebild train ner --distil``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from lagebild.errors import ConfigError, InputError
from lagebild.ner.germeval import Sentence

__all__ = [
    "GNAD_BLOCK",
    "silver_sources",
    "source_sentences",
    "read_tsv",
    "write_tsv",
    "silver",
    "teacher_marginals",
    "ensemble_marginals",
    "teacher_key",
]

GNAD_BLOCK = 300
Log = Callable[[str], None]


def _gnad_rows(shared: Path, gnad_articles: int) -> list[list[str]]:
    with (shared / "10kgnad" / "test.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";", quotechar="'"))[:gnad_articles]


def silver_sources(shared: Path, gnad_articles: int) -> list[str]:
    """Names of the unlabelled news sources, in order: SpkAtt parts, then 10kGNAD in blocks of articles
    (each cached on its own); naming them needs no sentence splitting."""
    n = len(_gnad_rows(shared, gnad_articles)) if gnad_articles else 0
    blocks = [f"10kgnad-{a}-{min(a + GNAD_BLOCK, n)}" for a in range(0, n, GNAD_BLOCK)]
    return ["spkatt-train", "spkatt-unlabelled", *blocks]


def source_sentences(shared: Path, source: str) -> list[tuple[str, ...]]:
    """Sentences of 3-80 words (tokens as words) of one source named by :func:`silver_sources`."""
    sents: list[tuple[str, ...]] = []
    if source.startswith("spkatt-"):
        folder = shared / "speaker-attribution-news" / source[len("spkatt-") :]
        for path in sorted(folder.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            sents.extend(tuple(s["Tokens"]) for s in doc["Sentences"])
    else:
        from lagebild.stages.sentences import _somajo, split_somajo

        first, last = (int(x) for x in source.split("-")[1:])
        splitter = _somajo("de")
        for row in _gnad_rows(shared, last)[first:last]:
            text = row[1]
            sents.extend(tuple(text[a:b] for a, b in s.tokens) for s in split_somajo(text, splitter))
    return [s for s in sents if 3 <= len(s) <= 80]


def write_tsv(path: Path, sentences: list[Sentence]) -> None:
    """Written beside ``path`` and moved into place: an interrupted run leaves no partial cache."""
    part = path.with_name(path.name + ".part")
    with part.open("w", encoding="utf-8") as handle:
        for s in sentences:
            handle.write("".join(f"{w}\t{t}\n" for w, t in zip(s.words, s.tags, strict=True)) + "\n")
    part.replace(path)


def _save_npy(path: Path, array: np.ndarray) -> None:
    part = path.with_name(path.name + ".part")
    with part.open("wb") as handle:  # a file handle: np.save would append .npy to a name
        np.save(handle, array)
    part.replace(path)


def read_tsv(path: Path) -> list[Sentence]:
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line:
            if words:
                sentences.append(Sentence(tuple(words), tuple(tags)))
            words, tags = [], []
            continue
        word, tag = line.rsplit("\t", 1)
        words.append(word)
        tags.append(tag)
    return sentences


def silver(shared: Path, cache: Path, gnad_articles: int, log: Log = print) -> list[Sentence]:
    """Sentences labelled by the shipped accurate model (cached per source)."""
    from lagebild.ner.tagger import Tagger, load_tagger

    cache.mkdir(parents=True, exist_ok=True)
    out: list[Sentence] = []
    tagger: Tagger | None = None
    for source in silver_sources(shared, gnad_articles):
        path = cache / f"ner-silver-{source}.tsv"
        if not path.exists():
            sents = source_sentences(shared, source)
            tagger = tagger or load_tagger("accurate")
            start, labelled = time.time(), list[Sentence]()
            for i in range(0, len(sents), 500):
                chunk = sents[i : i + 500]
                tags = tagger.tag(chunk)
                labelled.extend(Sentence(w, tuple(t)) for w, t in zip(chunk, tags, strict=True))
            write_tsv(path, labelled)
            words = sum(len(s) for s in sents)
            log(f"silver {source}: {len(sents):,} sentences, {words:,} words in {time.time() - start:.0f} s")
        out.extend(read_tsv(path))
    return out


def teacher_key(model: Path) -> str:
    """Names a teacher's cached marginals after the model file's content, so a retrained model never
    reuses another model's cache."""
    return hashlib.sha256(model.read_bytes()).hexdigest()[:12]


def teacher_marginals(
    shared: Path, cache: Path, gnad_articles: int, teacher: Path, log: Log = print
) -> list[np.ndarray]:
    """A LoRA model's per-word label probabilities for :func:`silver`'s sentences, in the same order
    (cached per source as ``ner-silver-<source>.<teacher_key>.soft.npy``, all words concatenated)."""
    from lagebild.ner.tagger import AccurateNer

    out: list[np.ndarray] = []
    model: AccurateNer | None = None
    key = teacher_key(teacher)
    for source in silver_sources(shared, gnad_articles):
        sents = read_tsv(cache / f"ner-silver-{source}.tsv")
        path = cache / f"ner-silver-{source}.{key}.soft.npy"
        if not path.exists():
            model = model or AccurateNer(teacher)
            start, rows = time.time(), []
            for i in range(0, len(sents), 500):
                rows.extend(model.marginals([s.words for s in sents[i : i + 500]]))
            _save_npy(path, np.concatenate(rows).astype(np.float16))
            seconds = time.time() - start
            log(f"teacher {teacher.name} {source}: {len(sents):,} sentences in {seconds:.0f} s")
        flat = np.load(path)
        ends = np.cumsum([len(s.words) for s in sents])
        if ends[-1] != len(flat):
            raise InputError(str(path), f"does not match {len(sents)} silver sentences; delete it")
        out.extend(np.split(flat, ends[:-1]))
    return out


def ensemble_marginals(
    shared: Path, cache: Path, gnad_articles: int, teachers: Sequence[Path], log: Log = print
) -> list[np.ndarray]:
    """The teachers' marginals averaged word by word (an ensemble teacher)."""
    total: list[np.ndarray] | None = None
    for path in teachers:
        dists = teacher_marginals(shared, cache, gnad_articles, path, log)
        total = (
            [d.astype(np.float32) for d in dists]
            if total is None
            else [t + d.astype(np.float32) for t, d in zip(total, dists, strict=True)]
        )
    if total is None:
        raise ConfigError("an ensemble teacher needs at least one model")
    return [(t / len(teachers)).astype(np.float16) for t in total]
