"""Stage ``time``: time expressions with normalised values, and the document date when metadata has none.

Expressions are tagged by the rules in lagebild/temporal/data/<lang>.toml and resolved against the
article's publication date (``published``). When the metadata stage found no date, the date is
inferred from the text first (lagebild.temporal.docdate) and stored as ``published`` with
``source = "inferred"``, a confidence below 1 and a note saying how it was found.
"""

from __future__ import annotations

from lagebild.model import Article
from lagebild.pipeline import Context, stage
from lagebild.stages.metadata import reference_date
from lagebild.temporal.docdate import infer_document_date
from lagebild.temporal.tagger import tag_times

__all__ = ["find_times"]


def find_times(article: Article, ctx: Context) -> Article:
    language = article.language or "de"
    text = article.clean_text
    if article.published is None and ctx.config["time"]["infer_date"]:
        article.published = infer_document_date(text, language, reference_date(ctx), article.sentences)
    anchor = article.published.value if article.published else None
    article.time_expressions = tag_times(text, language, anchor, article.sentences)
    return article


@stage("time", needs=("clean_text", "sentences", "language", "published"), adds=("time_expressions",))
def time_expressions(article: Article, ctx: Context) -> Article:
    """Time expressions (DATE/TIME/DURATION/SET, TIMEX3-like values); infers a missing document date."""
    return find_times(article, ctx)
