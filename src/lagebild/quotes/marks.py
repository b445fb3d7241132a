"""Quotation marks: which characters open and close quotes, and which tokens lie inside quotes.

German typography uses „…“ and »…« (and ‚…‘ for nested quotes); Swiss and French texts «…»;
English "…" and ‘…’. Straight quotes (" and ') open and close alike, so their role is decided by
position: a straight quote opens when it starts a token sequence or follows a space or opening
bracket.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["OPENING", "CLOSING", "PAIRS", "quote_state", "is_quote_token"]

# opening mark -> the closing marks that may end it
PAIRS: dict[str, tuple[str, ...]] = {
    "„": ("“", "”", '"'),
    "“": ("”", "“"),  # English “…”; also a German closing mark used as opening in copied text
    "»": ("«",),
    "«": ("»",),
    "‚": ("‘", "’"),
    "‘": ("’",),
    '"': ('"', "“", "”"),
    "'": ("'",),
    "''": ("''",),
    "``": ("''",),
}
OPENING = frozenset(PAIRS)
CLOSING = frozenset(c for closers in PAIRS.values() for c in closers)
_DOUBLE = frozenset({"„", "“", "”", "»", "«", '"', "''", "``"})
_SINGLE = frozenset({"‚", "'"})


def is_quote_token(token: str) -> bool:
    return token in OPENING or token in CLOSING


def quote_state(tokens: Sequence[str]) -> list[int]:
    """Per token: 0 outside quotes, 1 opening mark, 2 inside, 3 closing mark.

    Double quotes and guillemets are tracked at the top level; single quotes inside them are nested
    quotes and left as text. Single quotes (‚…‘, '…' as separate tokens) count at the top level only
    when they close within 60 tokens, since a lone ' is more often an apostrophe. An opening mark
    that is never closed within 400 tokens is a stray mark (0), so one broken quote cannot swallow
    the rest of an article.
    """
    state = [0] * len(tokens)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in PAIRS and (tok in _DOUBLE or tok in _SINGLE):
            closers = PAIRS[tok]
            reach = 400 if tok in _DOUBLE else 60
            for j in range(i + 1, min(len(tokens), i + reach)):
                if tokens[j] in closers:
                    state[i], state[j] = 1, 3
                    for k in range(i + 1, j):
                        state[k] = 2
                    i = j
                    break
        i += 1
    return state
