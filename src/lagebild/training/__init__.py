"""Training and evaluation-data code: never imported at run time (the runtime package reads only the
model files this code writes)."""
