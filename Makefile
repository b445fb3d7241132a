# lagebild — two commands on a fresh machine:
#   make run    set up .venv, install lagebild, analyze the demo corpus, write out/report.html
#   make test   set up .venv with test tools and a headless Chromium, run ruff, mypy and pytest
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

.PHONY: run test lint typecheck setup setup-test browser bench train-ner train-ner-fast train-quotes clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

setup: $(BIN)/python
	$(PIP) install --quiet -e .

setup-test: $(BIN)/python
	$(PIP) install --quiet -e '.[test,web]'

browser:
	bash scripts/setup-chromium.sh

run: setup
	mkdir -p out
	$(BIN)/lagebild analyze examples/corpus --db out/demo.db --report out/report.html
	@echo "open out/report.html in a browser; explore with: $(BIN)/lagebild info --db out/demo.db"

lint: setup-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup-test
	$(BIN)/mypy

test: setup-test browser lint typecheck
	$(BIN)/python -m pytest -q

bench: setup-test
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/sentences.py
	$(BIN)/python bench/tokens.py
	$(BIN)/python bench/ner.py
	$(BIN)/python bench/ner.py --model fast
	$(BIN)/python bench/linking.py
	$(BIN)/python bench/quotes.py
	$(BIN)/python bench/timex.py
	$(BIN)/python bench/events.py
	$(BIN)/python bench/reposts.py
	$(BIN)/python bench/translations.py
	$(BIN)/python bench/dedup_scale.py
	$(BIN)/python bench/web_latency.py
	$(BIN)/python bench/web_load.py
	$(BIN)/python bench/realpages.py

# Training (all models ship; `lagebild train --help` lists the tasks, their data and their duration).
# accurate: a base LoRA model, two more LoRA models as a teacher ensemble, then the base continued on
# gold + silver news with the ensemble's label marginals (~2.5 h on 2 cores; out/cache keeps each step)
NER_CACHE = out/cache
train-ner: setup-test
	$(PIP) install --quiet -e '.[train]'
	$(BIN)/lagebild train ner --out $(NER_CACHE)/ner-base.npz
	$(BIN)/lagebild train ner --rank 16 --ft-epochs 3 --out $(NER_CACHE)/ner-ft-r16.npz
	$(BIN)/lagebild train ner --from-scratch --ft-epochs 3 --lr 1e-3 --out $(NER_CACHE)/ner-ft-r8.npz
	$(BIN)/lagebild train ner --init $(NER_CACHE)/ner-base.npz --lr 3e-4 --distil-epochs 1 \
		--distil $(NER_CACHE)/ner-base.npz,$(NER_CACHE)/ner-ft-r8.npz,$(NER_CACHE)/ner-ft-r16.npz

# after train-ner: the fast model is distilled from the accurate one (one thread; ~26 min labelling + ~34 min training)
train-ner-fast: setup-test
	$(PIP) install --quiet -e '.[train]'
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/lagebild train ner-fast --layers 4 --ffn 512 --soft

# two phases: the tagger on frozen encoder features (~25 min), then rank-16 LoRA on encoder layers 2-11 with it (5 epochs, ~70 min on 2 cores);
# then the direct-quote speaker ranker on the new tagger's tags over train (~7 min)
train-quotes: setup-test
	$(PIP) install --quiet -e '.[train]'
	$(BIN)/lagebild train quotes --epochs 16 --eval-every 4 --out out/quotes-frozen.npz
	$(BIN)/lagebild train quotes-lora --init out/quotes-frozen.npz --epochs 5 --rank 16 --first-layer 2 \
		--out src/lagebild/quotes/models/tagger.npz
	$(BIN)/lagebild train quote-speakers

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
