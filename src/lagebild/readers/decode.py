"""Bytes to text: UTF-8 first, then a detected legacy encoding; refuse binary data.

Copied news text often arrives as cp1252/latin-1 labelled as UTF-8, or as UTF-8 that was
once decoded as cp1252 ("FÃ¼r"). Both are repaired here and the repair is noted.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from lagebild.errors import DecodeError, UnsupportedInputError

__all__ = ["decode_bytes", "looks_binary", "repair_mojibake"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (e.g. docx/xlsx)",
    b"\x7fELF": "an executable",
}
# Typical sequences of UTF-8 read as cp1252: Ã¤ Ã¶ Ã¼ ÃŸ Ã„ â€ž â€œ …
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf¤¶¼Ÿ„–—œ©]|â€[žœ™¦“”˜]")


def looks_binary(head: bytes) -> str | None:
    """Return what the bytes look like if they are not text, else None."""
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return what
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return None
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    if sample:
        control = sum(1 for b in sample if b < 9 or 13 < b < 32)
        if control / len(sample) > 0.05:
            return "binary data (control bytes)"
    return None


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8-read-as-cp1252 damage when it is clearly present and the repair is clean."""
    if len(_MOJIBAKE.findall(text)) < 2:
        return text, False
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text, False
    return fixed, True


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few bad bytes (a truncated copy, one stray latin-1 byte) stays UTF-8: decoding
    the whole page in a guessed legacy encoding would garble every correct umlaut instead."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if multibyte and bad <= max(3, multibyte // 10):
        return text, bad
    return None


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode ``data`` to text and return it with notes on what was done.

    ``declared`` is a charset the container claimed (HTTP header, meta tag); it is only trusted
    when the bytes actually decode with it.
    """
    notes: list[str] = []
    if not data:
        raise DecodeError(source, "empty file")
    what = looks_binary(data[:8192])
    if what:
        raise UnsupportedInputError(source, f"not text: looks like {what}")
    text = ""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise DecodeError(source, f"invalid {enc} after byte-order mark: {exc.reason}") from exc
            if not text.strip():  # a byte-order mark and nothing else
                raise DecodeError(source, "no text (file is blank)")
            return text, notes
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if not text and (lenient := _mostly_utf8(data)) is not None:
        text, bad = lenient
        notes.append(f"UTF-8 with {bad} invalid byte sequence(s), replaced by U+FFFD")
    elif not text:
        guess = from_bytes(data[:200_000]).best()
        candidates = [guess.encoding] if guess is not None else []
        candidates += ["cp1252", "latin-1"]
        for enc in candidates:
            try:
                text = data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                continue
            label = f" though labelled {declared}" if declared else ""
            notes.append(f"not valid UTF-8{label}; decoded as {enc}")
            break
    text, repaired = repair_mojibake(text)
    if repaired:
        notes.append("repaired mojibake (UTF-8 that had been decoded as cp1252)")
    if not text.strip():
        raise DecodeError(source, "no text (file is blank)")
    return text, notes
