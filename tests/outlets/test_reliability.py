"""Reliability labels: read from a user-given CSV with their sources, matched to outlets by domain."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lagebild.errors import InputError, LagebildError
from lagebild.outlets import (
    LabelFileError,
    LabelRowError,
    ReliabilityLabel,
    attach_labels,
    load_labels,
    load_outlets,
    read_labels,
)
from tests.conftest import shared_path

GOOD = """domain,reliability_label,newsguard_score,label_source
rt.com,-1,32.5,newsguard
www.spiegel.de,1,,wikipedia
https://de.rt.com/,-1,,manual
unknown-site.example,0,,mbfc
"""


def _csv(tmp_path: Path, text: str, name: str = "labels.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_labels_keeps_value_source_file_row_and_extras(tmp_path: Path) -> None:
    labels = read_labels(_csv(tmp_path, GOOD))
    assert labels[0] == ReliabilityLabel(
        domain="rt.com",
        value="-1",
        source="newsguard",
        file="labels.csv",
        row=2,
        extra=(("newsguard_score", "32.5"),),
    )
    assert str(labels[0]) == "-1 (source: newsguard, newsguard_score=32.5; labels.csv row 2)"
    assert labels[1].domain == "spiegel.de" and labels[1].extra == () and labels[1].row == 3
    assert labels[2].domain == "de.rt.com" and labels[2].source == "manual"
    assert [label.row for label in labels] == [2, 3, 4, 5]


def test_attach_labels_by_domain(tmp_path: Path) -> None:
    registry = load_outlets()
    result = attach_labels(registry, read_labels(_csv(tmp_path, GOOD)))
    assert (result.matched, result.unmatched, result.outlets_labelled) == (3, 1, 3)
    assert [label.domain for label in result.unmatched_labels] == ["unknown-site.example"]
    rt = registry.by_id("outlet:rt")
    rt_de = registry.by_id("outlet:rt-de")
    spiegel = registry.by_id("outlet:spiegel")
    kenfm = registry.by_id("outlet:kenfm")
    assert rt is not None and rt_de is not None and spiegel is not None and kenfm is not None
    # The rt.com label is RT's only: RT DE (de.rt.com) gets just the row about its own domain.
    assert [(label.value, label.source) for label in rt.labels] == [("-1", "newsguard")]
    assert [(label.value, label.source) for label in rt_de.labels] == [("-1", "manual")]
    assert [(label.value, label.source) for label in spiegel.labels] == [("1", "wikipedia")]
    # No label is invented or defaulted: an outlet without a row has none.
    assert kenfm.labels == []
    assert sum(1 for outlet in registry if outlet.labels) == 3


def test_attaching_twice_does_not_duplicate(tmp_path: Path) -> None:
    registry = load_outlets()
    labels = read_labels(_csv(tmp_path, GOOD))
    attach_labels(registry, labels)
    attach_labels(registry, labels)
    rt = registry.by_id("outlet:rt")
    assert rt is not None and len(rt.labels) == 1


def test_label_for_an_unregistered_subdomain_goes_to_the_registered_parent_domain(tmp_path: Path) -> None:
    registry = load_outlets()
    path = _csv(tmp_path, "domain,reliability_label,label_source\nblogs.spiegel.de,1,test\n")
    result = attach_labels(registry, read_labels(path))
    spiegel = registry.by_id("outlet:spiegel")
    assert result.matched == 1 and spiegel is not None and spiegel.labels[0].domain == "blogs.spiegel.de"


def test_other_columns_and_a_stated_source(tmp_path: Path) -> None:
    path = _csv(tmp_path, "source,factual_reporting,country\nrt.com,very low,russia\n", "mbfc-like.csv")
    labels = read_labels(path, domain_column="source", label_column="factual_reporting", source="MBFC")
    assert labels == [
        ReliabilityLabel("rt.com", "very low", "MBFC", "mbfc-like.csv", 2, (("country", "russia"),))
    ]


def test_a_file_without_source_column_needs_a_stated_source(tmp_path: Path) -> None:
    path = _csv(tmp_path, "domain,reliability_label,reliability_score\nrt.com,-1,32.5\n")
    with pytest.raises(LabelFileError, match="label_source") as info:
        read_labels(path)
    assert "source=" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LabelFileError, match="not found") as info:
        read_labels(tmp_path / "nope.csv")
    assert isinstance(info.value, InputError) and isinstance(info.value, LagebildError)
    assert info.value.source == str(tmp_path / "nope.csv")


def test_wrong_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path, "site,rating,by\nrt.com,-1,x\n")
    with pytest.raises(LabelFileError) as info:
        read_labels(path)
    message = str(info.value)
    assert "missing column(s)" in message and "'domain'" in message and "'reliability_label'" in message
    assert "['site', 'rating', 'by']" in message


@pytest.mark.parametrize("text", ["", "\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    with pytest.raises(LabelFileError, match="empty"):
        read_labels(_csv(tmp_path, text))


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("domain,reliability_label,label_source\nm\xfcll.de,1,x\n".encode("latin-1"))
    with pytest.raises(LabelFileError, match="cannot read"):
        read_labels(path)


def test_duplicate_header_columns(tmp_path: Path) -> None:
    with pytest.raises(LabelFileError, match="duplicate"):
        read_labels(_csv(tmp_path, "domain,domain,reliability_label,label_source\n"))


MALFORMED = """domain,reliability_label,newsguard_score,label_source
rt.com,-1,32.5,newsguard
,-1,,mbfc
not a domain,1,,mbfc
tass.com,,,wikipedia
xinhuanet.com,0,,
cgtn.com,-1,,wikipedia,extra
cctv.com,-1

spiegel.de,1,,wikipedia
"""


def test_malformed_rows_are_collected_with_row_numbers(tmp_path: Path) -> None:
    path = _csv(tmp_path, MALFORMED)
    errors: list[LabelRowError] = []
    labels = read_labels(path, errors=errors)
    assert [label.domain for label in labels] == ["rt.com", "spiegel.de"]
    assert [label.row for label in labels] == [2, 10]
    assert [(e.row, e.file) for e in errors] == [(r, "labels.csv") for r in (3, 4, 5, 6, 7, 8)]
    reasons = [e.reason for e in errors]
    assert "is not a domain" in reasons[0] and "is not a domain" in reasons[1]
    assert "empty reliability_label" in reasons[2]
    assert "needs its source" in reasons[3]
    assert "5 fields" in reasons[4] and "2 fields" in reasons[5]
    assert str(errors[0]).startswith("labels.csv row 3: ")
    imported = load_labels(path)
    assert imported.labels == labels and imported.errors == errors


def test_malformed_rows_raise_without_an_error_list(tmp_path: Path) -> None:
    with pytest.raises(LabelFileError) as info:
        read_labels(_csv(tmp_path, MALFORMED))
    assert len(info.value.errors) == 6
    assert "6 malformed row(s)" in str(info.value) and "labels.csv row 3" in str(info.value)
    assert "and 1 more" in str(info.value)


# ------------------------------------------------------------------ the real file in ../shared


@pytest.mark.shared
def test_golden_truth_dataset_from_shared() -> None:
    path = shared_path("news-media-reliability", "golden_truth_dataset.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rt_row = next(i for i, row in enumerate(rows, 1) if row and row[0] == "rt.com")
    expected_rt = rows[rt_row - 1]

    errors: list[LabelRowError] = []
    labels = read_labels(path, errors=errors)
    assert len(labels) + len(errors) == sum(1 for row in rows[1:] if row)
    # The file's malformed rows are reported, not guessed (one row has an empty domain).
    assert all(e.file == "golden_truth_dataset.csv" for e in errors)
    assert all("is not a domain" in e.reason for e in errors)

    registry = load_outlets()
    result = attach_labels(registry, labels)
    assert result.matched + result.unmatched == len(labels)
    assert result.matched >= 100

    rt = registry.by_id("outlet:rt")
    assert rt is not None
    assert len(rt.labels) == 1
    label = rt.labels[0]
    # Exactly what the file states for rt.com, with its stated source and where it came from.
    assert (label.domain, label.value, label.source) == ("rt.com", expected_rt[1], expected_rt[3])
    assert label.source == "newsguard" and label.value == "-1"
    assert dict(label.extra) == {"newsguard_score": expected_rt[2]}
    assert (label.file, label.row) == ("golden_truth_dataset.csv", rt_row)

    # Outlets whose domains have no row in the file get no label.
    listed = {row[0] for row in rows[1:] if row}
    for outlet in registry:
        if not any(d in listed or any(h.endswith("." + d) for h in listed) for d in outlet.domains):
            assert outlet.labels == [], outlet.id
    kenfm = registry.by_id("outlet:kenfm")
    assert kenfm is not None and "kenfm.de" not in listed and kenfm.labels == []
