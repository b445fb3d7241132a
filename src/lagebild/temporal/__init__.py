"""Temporal tagging: time expressions with TIMEX3-like values, and document-date inference.

``tag_times(text, language, anchor)`` finds and normalises expressions (rules in ``data/<lang>.toml``,
normalisers in :mod:`lagebild.temporal.normalize`); ``infer_document_date`` reads a missing
publication date from the text (:mod:`lagebild.temporal.docdate`).
"""

from lagebild.temporal.docdate import infer_document_date
from lagebild.temporal.tagger import tag_times

__all__ = ["infer_document_date", "tag_times"]
