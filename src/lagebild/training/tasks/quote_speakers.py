"""``lagebild train quote-speakers``: the direct-quote speaker ranker (lagebild.quotes.source_choice).

Fitted on SpkAtt-2023 train (NumPy; no PyTorch needed).

For every non-nested gold Direct or Indirect attribution of train with a cue and a source, the
candidates are the spans that the shipped quote tagger tags as source or addressee, plus subject
pronouns (:func:`candidates`); the gold source is the answer. Attributions whose gold source is not
among the candidates, or that have a single candidate, teach nothing and are left out. The tagger's
tags on train are cached in out/cache/ under the tagger file's hash (~7 min on 2 cores to make).
Dev is not read. Writes src/lagebild/quotes/data/source_choice.json.

    lagebild train quote-speakers [--data ../shared/data/speaker-attribution-news]
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lagebild.quotes.source_choice import WEIGHTS_FILE, Example, SourceChooser, examples, fit
from lagebild.quotes.spkatt import Doc, read_split
from lagebild.training.tasks import CACHE, PACKAGE, SHARED, need_path, task_parser

TAGGER = PACKAGE / "quotes" / "models" / "tagger.npz"


def train_tags(docs: list[Doc], cache: Path) -> list[dict[str, list[str]]]:
    """The shipped tagger's Source and Addr tags per train document (cached)."""
    key = hashlib.sha256(TAGGER.read_bytes()).hexdigest()[:12]
    path = cache / f"quote-tags-train.{key}.json"
    if path.exists():
        try:
            cached: list[dict[str, list[str]]] = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            cached = []  # a damaged cache is made again
        if len(cached) == len(docs):
            return cached
        print(f"{path} does not match the {len(docs)} train documents; tagging again", flush=True)
    from lagebild.ner.features import word_features
    from lagebild.quotes.labels import extra_features
    from lagebild.stages.quotes import _tagger

    tokenizer, encoder, tagger = _tagger()
    out = []
    for k, d in enumerate(docs):
        feats = np.concatenate(word_features([tuple(s) for s in d.sentences], tokenizer, encoder))
        tags = tagger.predict(feats, np.array(extra_features(d.sentences), dtype=np.float32))
        out.append({h: tags[h] for h in ("Source", "Addr")})
        if k % 100 == 0:
            print(f"tagging train: {k}/{len(docs)}", flush=True)
    cache.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    part.write_text(json.dumps(out), encoding="utf-8")
    part.replace(path)
    return out


def main(argv: Sequence[str] | None = None, prog: str = "lagebild train quote-speakers") -> int:
    parser = task_parser(prog, __doc__)
    parser.add_argument("--data", default=str(SHARED / "speaker-attribution-news"), help="SpkAtt-2023")
    parser.add_argument("--cache", default=str(CACHE))
    parser.add_argument("--out", default=str(WEIGHTS_FILE))
    args = parser.parse_args(argv)
    train = need_path(Path(args.data) / "train", "SpkAtt-2023 train")
    docs = read_split(train)
    data = examples(docs, train_tags(docs, Path(args.cache)))
    cut = len(data) * 4 // 5
    check = fit(data[:cut])

    def accuracy(part: list[Example], w: dict[str, float]) -> float:
        chooser = SourceChooser(w)
        return sum(chooser.best(feats) == y for feats, y in part) / max(1, len(part))

    print(f"{len(data)} train attributions with 2+ candidates; fitted on the first 80 %:")
    print(f"  accuracy on the last 20 % of train: {accuracy(data[cut:], check):.3f}")
    weights = fit(data)
    print(f"  fitted on all: accuracy {accuracy(data, weights):.3f}")
    Path(args.out).write_text(
        json.dumps({"trained_on": "SpkAtt-2023 train", "examples": len(data), "weights": weights}, indent=1)
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}")
    return 0
