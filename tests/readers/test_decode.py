import pytest

from lagebild.errors import DecodeError, UnsupportedInputError
from lagebild.readers.decode import decode_bytes, looks_binary, repair_mojibake


def test_utf8_passes_untouched():
    text, notes = decode_bytes("Präsident „Xi“".encode(), "a.txt")
    assert text == "Präsident „Xi“" and notes == []


def test_cp1252_mislabelled_as_utf8_is_decoded_and_noted():
    data = "Außenminister Lawrow sagte „Nein“ – für beide Länder.".encode("cp1252")
    text, notes = decode_bytes(data, "a.txt", declared="utf-8")
    assert text == "Außenminister Lawrow sagte „Nein“ – für beide Länder."
    assert "not valid UTF-8" in notes[0] and "utf-8" in notes[0]


def test_latin1_umlauts():
    text, _ = decode_bytes("Grüße aus Köln, schöne Straße".encode("latin-1"), "a.txt")
    assert text == "Grüße aus Köln, schöne Straße"


def test_mojibake_is_repaired():
    broken = "Für Präsident Xi ist die Außenpolitik wichtig".encode().decode("cp1252")
    fixed, changed = repair_mojibake(broken)
    assert changed and fixed == "Für Präsident Xi ist die Außenpolitik wichtig"


def test_utf16_with_bom():
    text, _ = decode_bytes("\ufeffMoskau und Peking".encode("utf-16"), "a.txt")
    assert text.strip("\ufeff") == "Moskau und Peking"


@pytest.mark.parametrize(
    ("data", "what"),
    [(b"%PDF-1.7 rest", "PDF"), (b"\x89PNG\r\n\x1a\n....", "PNG"), (b"abc\x00\x00\x01def" * 10, "NUL")],
)
def test_binary_is_refused(data: bytes, what: str):
    with pytest.raises(UnsupportedInputError, match=what):
        decode_bytes(data, "x.bin")
    assert looks_binary(data)


def test_empty_and_blank():
    with pytest.raises(DecodeError, match="empty file"):
        decode_bytes(b"", "e.txt")
    with pytest.raises(DecodeError, match="blank"):
        decode_bytes(b"  \n\t\n", "e.txt")


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", b"\xff\xfe", b"\xfe\xff\x00 \x00\n"])
def test_byte_order_mark_and_nothing_else_is_blank(data: bytes):
    with pytest.raises(DecodeError, match="blank"):
        decode_bytes(data, "x.txt")


def test_utf8_with_a_few_invalid_bytes_stays_utf8():
    """Issue #16: one bad byte must not make the whole page decode as a guessed legacy encoding."""
    good = "Gespräche über Öl und Gas mit Peking: „Wir sind zufrieden“, sagte der Minister. " * 20
    data = good.encode("utf-8") + b"\xff" + b" Schluss."
    text, notes = decode_bytes(data, "page.txt")
    assert "Gespräche über Öl" in text and "„Wir sind zufrieden“" in text
    assert text.count("\ufffd") == 1
    assert notes == ["UTF-8 with 1 invalid byte sequence(s), replaced by U+FFFD"]


def test_cp1252_text_is_still_decoded_as_cp1252():
    text, notes = decode_bytes("Gespräche über Öl und Gas.".encode("cp1252"), "page.txt")
    assert text == "Gespräche über Öl und Gas."
    assert notes and "not valid UTF-8" in notes[0]
