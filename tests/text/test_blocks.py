from lagebild.text.blocks import split_blocks


def test_blocks_keep_offsets_and_paragraph_breaks():
    raw = "  Titel \n\nErster Absatz\nZeile zwei\n\n\n  Dritter  "
    blocks = split_blocks(raw)
    assert [b.text for b in blocks] == ["Titel", "Erster Absatz", "Zeile zwei", "Dritter"]
    assert all(raw[b.start : b.end] == b.text for b in blocks)
    assert [b.blank_before for b in blocks] == [True, True, False, True]
