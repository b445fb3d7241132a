"""Built-in pipeline stages. Importing this package registers them (see lagebild.pipeline)."""

from lagebild import link
from lagebild.stages import clean, entities, language, metadata, quotes, sentences

__all__ = ["clean", "entities", "language", "link", "metadata", "quotes", "sentences"]
