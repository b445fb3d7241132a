"""Entity-level precision, recall and F1 (exact span and type), micro-averaged and per type."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from lagebild.ner.germeval import TYPES, spans

__all__ = ["entity_scores", "format_scores"]


def entity_scores(
    gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]
) -> dict[str, dict[str, float]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g_tags, p_tags in zip(gold, predicted, strict=True):
        g, p = spans(tuple(g_tags)), spans(tuple(p_tags))
        for _, _, kind in g & p:
            tp[kind] += 1
        for _, _, kind in p - g:
            fp[kind] += 1
        for _, _, kind in g - p:
            fn[kind] += 1

    def prf(t: int, f_p: int, f_n: int) -> dict[str, float]:
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": t + f_n}

    result = {kind: prf(tp[kind], fp[kind], fn[kind]) for kind in TYPES}
    result["micro"] = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return result


def format_scores(scores: dict[str, dict[str, float]]) -> str:
    lines = [f"{'type':6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for kind in (*TYPES, "micro"):
        s = scores[kind]
        lines.append(
            f"{kind:6} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {int(s['support']):6d}"
        )
    return "\n".join(lines)
