"""The error hierarchy: reasons and sources are one printable, encodable line."""

from __future__ import annotations

import os

from lagebild.errors import InputError, StageError, printable


def test_printable_escapes_surrogates_and_joins_lines():
    name = os.fsdecode(b"/data/\xff\xfe-name.txt")
    assert printable(name) == "/data/\\xff\\xfe-name.txt"
    assert printable("a \ud800 b") == "a \\ud800 b"
    assert printable("eins\nzwei\r\ndrei") == "eins zwei drei"
    assert printable("Grüße 习") == "Grüße 习"


def test_errors_carry_printable_sources_and_reasons():
    err = InputError(os.fsdecode(b"x-\xe4.txt"), "bad\nthing \udc80")
    assert (err.source, err.reason) == ("x-\\xe4.txt", "bad thing \\x80")
    str(err).encode("utf-8")
    stage_err = StageError("clean", "a\ud83d", "boom\nline two")
    assert (stage_err.source, stage_err.reason) == ("a\\ud83d", "boom line two")
