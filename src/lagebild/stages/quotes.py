"""Stage ``quotes``: who said what — direct quotes, reported speech and their speakers.

Two extractors produce the same attributions (message, cue, source, addressee as token spans):

* ``tagger`` (German default): the frozen multilingual-e5-small encoder + a BiLSTM with four CRFs
  (message with its form, cue, source, addressee), trained on the 700 SpkAtt-2023 train articles.
  It learns SpkAtt's conventions for indirect, free-indirect and reported statements that hand-written
  rules miss (rules: 0.41 micro F1 on SpkAtt dev; tagger: see BENCHMARKS.md), at the cost of an
  encoder pass (~35 sentences/s on 2 cores).
* ``rules`` (English, other languages, and ``quotes.method = "rules"``): quotation marks + cue lexicon
  (lagebild/quotes/data/cues.toml); fast and predictable, weaker on reported speech.

Then speakers are resolved against the article's mentions (when ``entities``/``link`` ran before) and
nested attributions ("laut CCTV soll Xi …") are kept as ``reported_by``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from lagebild.errors import ConfigError
from lagebild.model import Article, Quote
from lagebild.pipeline import Context, stage
from lagebild.quotes.rules import extract_rules
from lagebild.quotes.speakers import resolve_speakers
from lagebild.quotes.spkatt import Group
from lagebild.stages.encode import chunks_of

__all__ = ["find_quotes", "groups_to_quotes"]

_KIND = {
    "Direct": "direct",
    "Indirect": "indirect",
    "FreeIndirect": "indirect",
    "IndirectFreeIndirect": "indirect",
    "Reported": "reported",
}
# "… dem Sender CCTV zufolge", "laut CCTV", "nach Angaben von TASS": a reporter around a statement.
# Names start at a word start ((?<![\w-])): without it every capital inside a long token would start
# a scan to the token's end, quadratic in its length (a 100 KB "word" took 50 s).
_REPORTER = re.compile(
    r"(?:\b(?:[Ll]aut|[Gg]emäß|[Nn]ach Angaben (?:von |des |der )?)\s+(?P<a>(?:der |des |dem |den )?"
    r"(?:[\w-]+ ){0,3}?[A-ZÄÖÜ][\w-]+)|(?P<b>(?<![\w-])(?:[A-ZÄÖÜ][\w-]+ ){0,2}[A-ZÄÖÜ][\w-]+) zufolge)"
)


@lru_cache(maxsize=1)
def _tagger() -> tuple[Any, Any, Any]:
    # Cached per process: loading dequantises the encoder weights (~1 s), once for every pipeline.
    path = resources.files("lagebild").joinpath("quotes/models/tagger.npz")
    if not path.is_file():
        raise ConfigError("the quote tagger model is missing (lagebild/quotes/models/tagger.npz)")
    return load_quote_model(str(path))


def load_quote_model(path: str) -> tuple[Any, Any, Any]:
    """(tokenizer, encoder, tagger) for a quote model file; a fine-tuned one carries LoRA adapters
    for the encoder, a frozen-feature one carries none."""
    from lagebild.ner.head import load_lora
    from lagebild.nlp.e5encoder import E5Encoder
    from lagebild.nlp.e5tokenizer import E5Tokenizer
    from lagebild.nlp.e5weights import load_e5_weights
    from lagebild.quotes.tagger import QuoteTagger

    try:
        tagger, adapters = QuoteTagger.load(path), load_lora(path)
    except (OSError, ValueError, KeyError) as exc:  # missing file, not an .npz, arrays missing
        raise ConfigError(f"{path} is not a quote model file ({exc})") from exc
    weights = load_e5_weights()
    return E5Tokenizer(weights), E5Encoder(weights, adapters), tagger


def _span(tokens: list[tuple[int, int]], idx: list[int]) -> tuple[int, int] | None:
    return (tokens[min(idx)][0], tokens[max(idx)][1]) if idx else None


def _skips(idx: list[int], words: int = 10) -> bool:
    """Whether a message leaves out more than a short attribution ('…, der Polizei zufolge, …'), e.g.
    a nested statement's sentence: then its text is given in pieces."""
    ordered = sorted(idx)
    return any(b - a > words for a, b in zip(ordered, ordered[1:], strict=False))


def _pieces(text: str, tokens: list[tuple[int, int]], idx: list[int]) -> str:
    runs: list[list[int]] = []
    for i in sorted(idx):
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return " … ".join(text[tokens[r[0]][0] : tokens[r[-1]][1]] for r in runs)


def groups_to_quotes(article: Article, groups: list[Group], method: str) -> list[Quote]:
    """Quotes with character offsets from attributions over the article's sentence tokens."""
    text = article.clean_text
    tokens = [t for s in article.sentences for t in s.tokens]
    sentence_of = [k for k, s in enumerate(article.sentences) for _ in s.tokens]
    quotes = []
    for g in groups:
        msg = g.roles.get("Message", [])
        # A message without a word ('„“', a stray mark) is no statement.
        if not any(ch.isalnum() for i in msg for ch in text[tokens[i][0] : tokens[i][1]]):
            continue
        message = _span(tokens, msg)
        pieces = g.form == "Direct" or _skips(msg)
        assert message is not None
        src, cue, addr = (g.roles.get(r, []) for r in ("Source", "Cue", "Addr"))
        speaker_span = _span(tokens, src)
        q = Quote(
            kind=_KIND.get(g.form or "", "indirect"),
            message=message,
            # An interrupted direct quote shows its parts, so does a message that leaves out a nested
            # statement; other messages read as printed.
            text=_pieces(text, tokens, msg) if pieces else text[message[0] : message[1]],
            form=g.form or "",
            speaker=_pieces(text, tokens, src) if src else None,
            speaker_span=speaker_span,
            cue=_pieces(text, tokens, cue) if cue else None,
            cue_span=_span(tokens, cue),
            addressee=_pieces(text, tokens, addr) if addr else None,
            sentences=(sentence_of[min(msg)], sentence_of[max(msg)]),
            method=method,
        )
        reporter = g.roles.get("Reporter", [])
        if reporter:
            q.reported_by = _pieces(text, tokens, reporter)
        else:
            _nested(q, text, tokens, g)
        quotes.append(q)
    return quotes


def _nested(q: Quote, text: str, tokens: list[tuple[int, int]], g: Group) -> None:
    """A reporter around the attribution ("dem Sender CCTV zufolge") when the speaker is someone else."""
    idx = g.roles.get("Cue", []) + g.roles.get("Source", [])
    if not idx:
        return
    lo, hi = min(idx), max(idx)
    window = text[tokens[max(0, lo - 8)][0] : tokens[min(len(tokens) - 1, hi + 12)][1]]
    for found in _REPORTER.finditer(window):
        name = (found.group("a") or found.group("b") or "").split()
        reporter = " ".join(w for w in name if w[:1].isupper())
        if reporter and q.speaker and reporter not in q.speaker:
            q.reported_by = reporter.split()[-1] if len(reporter.split()) > 2 else reporter
            return


def find_quotes(article: Article, method: str, ctx: Context | None = None) -> list[Quote]:
    """Attributions by ``method`` ("tagger" or "rules"); the tagger is ``quotes.model`` of the config."""
    keep = [i for i, s in enumerate(article.sentences) if s.tokens]
    words = [[article.clean_text[a:b] for a, b in article.sentences[i].tokens] for i in keep]
    if not words:
        return []
    if method == "tagger":
        from lagebild.quotes.tagger import tag_document

        model = str(ctx.config["quotes"]["model"]) if ctx else "accurate"
        # Layers are mixed per chunk of sentences: a long text's features for every layer would not fit
        # in memory (5 MB of text: 750k words x 13 layers x 384).
        if model in SHARED_ENCODER_MODELS:
            from lagebild.stages.encode import chunked_states

            assert ctx is not None
            tagger = ctx.resource(f"quotes:{model}", lambda: _shared_tagger(model))
            chunks = chunked_states(article, ctx, SHARED_ENCODER_MODELS[model], keep)
            feats = np.concatenate([tagger.mixed(np.concatenate(states)) for states in chunks])
        else:
            from lagebild.ner.features import word_features

            load = _tagger
            tokenizer, encoder, tagger = ctx.resource("quotes:tagger", load) if ctx else load()
            feats = np.concatenate(
                [
                    tagger.mixed(np.concatenate(word_features([tuple(w) for w in part], tokenizer, encoder)))
                    for part in chunks_of(words)
                ]
            )
        groups = tag_document(tagger, feats, words)
    else:
        groups = extract_rules(words, article.language or "de")
    quotes = groups_to_quotes(article, groups, method)
    resolve_speakers(quotes, article.mentions, article.clean_text)
    return quotes


# Quote models that are heads on a shared encoder: model name -> the encoder (encoder.shared) they read.
SHARED_ENCODER_MODELS = {"fast": "fast"}


def _shared_tagger(model: str) -> Any:
    from lagebild.quotes.tagger import QuoteTagger

    path = resources.files("lagebild").joinpath(f"quotes/models/tagger-{model}.npz")
    if not path.is_file():
        raise ConfigError(f"the {model} quote model is missing (lagebild/quotes/models/tagger-{model}.npz)")
    return QuoteTagger.load(str(path))


@stage("quotes", needs=("clean_text", "sentences"), adds=("quotes",))
def quotes(article: Article, ctx: Context) -> Article:
    """Direct and reported statements with cue, speaker (resolved to an actor when mentions are linked)."""
    method, model = str(ctx.config["quotes"]["method"]), str(ctx.config["quotes"]["model"])
    if method not in {"auto", "tagger", "rules"}:
        raise ConfigError(f"quotes.method must be auto, tagger or rules, not {method!r}")
    if model not in {"accurate", *SHARED_ENCODER_MODELS}:
        choices = ", ".join(["accurate", *SHARED_ENCODER_MODELS])
        raise ConfigError(f"quotes.model must be one of {choices}, not {model!r}")
    if method == "auto":
        method = "tagger" if (article.language or "de") == "de" else "rules"
    article.quotes = find_quotes(article, method, ctx)
    return article
