"""Training and evaluation-data code: never imported at run time (the runtime package reads only the
model files this code writes; a test walks the import graph).

``lagebild train TASK`` runs it (:mod:`lagebild.cli.train` loads :mod:`lagebild.training.tasks` by name):
:mod:`~lagebild.training.ner` (the NER models: frozen-feature head, LoRA fine-tuning, the ``fast``
model, silver data, weight averaging, mention swaps), :mod:`~lagebild.training.quotes` (the quote
tagger), :mod:`~lagebild.training.trainloop` (the loop they share), and the NumPy fits of the
boilerplate classifier and the headline ranker on realpages. The PyTorch parts need the ``train``
extra (``pip install -e '.[train]'``).
"""
