"""The documented export schema matches what the pipeline writes."""

import json
from importlib import resources
from pathlib import Path

import jsonschema

from lagebild import api
from tests.conftest import CORPUS


def test_export_validates_against_schema(tmp_path: Path):
    schema = json.loads(
        resources.files("lagebild").joinpath("schema/article.schema.json").read_text(encoding="utf-8")
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    db = str(tmp_path / "demo.db")
    api.analyze([str(CORPUS)], db=db)
    records = [json.loads(line) for line in api.export_string(db, "jsonl").splitlines()]
    assert len(records) == 17
    validator = jsonschema.Draft202012Validator(schema)
    for record in records:
        errors = list(validator.iter_errors(record))
        assert not errors, (record["source"], errors[0].message)
        for span in record["removed"]:
            assert record["raw_text"][span["start"] : span["end"]] == span["text"]
