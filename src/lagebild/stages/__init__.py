"""Built-in pipeline stages. Importing this package registers them (see lagebild.pipeline)."""

from lagebild.stages import clean, language, metadata, sentences

__all__ = ["clean", "language", "metadata", "sentences"]
