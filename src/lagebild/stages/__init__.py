"""Built-in pipeline stages. Importing this package registers them (see lagebild.pipeline)."""

from lagebild import link
from lagebild.stages import clean, entities, events, language, metadata, quotes, sentences, timex

__all__ = ["clean", "entities", "events", "language", "link", "metadata", "quotes", "sentences", "timex"]
