"""Stage ``language``: identify the article's language with py3langid (model ships in the wheel)."""

from __future__ import annotations

from typing import Any

from lagebild.model import Article
from lagebild.pipeline import Context, stage
from lagebild.text.markdown import markdown_to_text

__all__ = ["detect_language"]

_SAMPLE_CHARS = 5000
_MIN_SCORE = 0.5


def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, identifier: Any) -> tuple[str, float]:
    # Long lines carry the body; short ones are mostly menus and prompts that mislead the model.
    lines = sorted((ln for ln in text.splitlines() if ln.strip()), key=len, reverse=True)
    sample = markdown_to_text("\n".join(lines)[:_SAMPLE_CHARS])
    lang, score = identifier.classify(sample)
    return str(lang), float(score)


@stage("language", needs=("raw_text",), adds=("language", "language_score"))
def language(article: Article, ctx: Context) -> Article:
    """Detect the language (ISO 639-1) of the raw text; fall back to language.fallback when unsure."""
    cfg = ctx.config["language"]
    fallback = str(cfg["fallback"])
    if len(article.raw_text.strip()) < int(cfg["min_chars"]):
        article.language, article.language_score = fallback, None
        article.notes.append(f"text too short to identify its language; assumed {fallback!r}")
        return article
    lang, score = detect_language(article.raw_text, ctx.resource("langid", _identifier))
    if score < _MIN_SCORE:
        article.notes.append(f"language unsure ({lang} at {score:.2f}); assumed {fallback!r}")
        lang = fallback
    article.language, article.language_score = lang, round(score, 4)
    return article
