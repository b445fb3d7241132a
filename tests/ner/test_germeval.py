from pathlib import Path

from lagebild.ner.evaluate import entity_scores
from lagebild.ner.germeval import read_germeval, spans

SAMPLE = """#\thttp://example.org\t[2009-10-23]
1\tWladimir\tB-PER\tO
2\tPutin\tI-PER\tO
3\tbesuchte\tO\tO
4\tdie\tO\tO
5\tdeutsche\tB-LOCderiv\tO
6\tHauptstadt\tO\tO
7\tBerlin\tB-LOC\tO
8\t.\tO\tO

#\tx
1\tNATO-Gipfel\tB-ORGpart\tO
2\tin\tO\tO
3\tBrüssel\tB-LOC\tO
"""


def test_reader_maps_deriv_and_part_to_o(tmp_path: Path):
    path = tmp_path / "g.tsv"
    path.write_text(SAMPLE, encoding="utf-8")
    first, second = read_germeval(path)
    assert first.words[:2] == ("Wladimir", "Putin")
    assert first.tags == ("B-PER", "I-PER", "O", "O", "O", "O", "B-LOC", "O")
    assert second.tags == ("O", "O", "B-LOC")


def test_spans():
    assert spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG"]) == {
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "LOC"),
        (5, 6, "ORG"),
    }


def test_entity_scores_exact_match():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    pred = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "O"]]
    scores = entity_scores(gold, pred)
    assert scores["micro"]["precision"] == 2 / 3 and scores["micro"]["recall"] == 2 / 3
    assert scores["PER"]["f1"] == 0.0 and scores["LOC"]["f1"] == 1.0
