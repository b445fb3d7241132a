"""Training the NER models (``lagebild train ner`` and ``ner-fast``); PyTorch, the ``train`` extra."""
