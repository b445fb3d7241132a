"""NLP building blocks shared by stages: the bundled multilingual-e5-small encoder."""
