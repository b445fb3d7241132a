"""Training the quote tagger (``lagebild train quotes`` and ``quotes-lora``); PyTorch, the ``train`` extra."""
