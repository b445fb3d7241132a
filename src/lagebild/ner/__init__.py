"""Named-entity recognition: GermEval data, encoder features, the trained head and its evaluation."""
