# Two commands a new user needs: `make extract` and `make test`. Both set up .venv first.
# `make extract` installs only what extraction needs; `make test` adds the test tools and the
# optional extras (Dask engine, Stanza backend) so that their code is tested too.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install -q --disable-pip-version-check
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
SHARED ?= ../shared
IN     ?= seeds
OUT    ?= outputs

.PHONY: setup setup-test extract test check lint eval bench train-hi-ner train-hi-stanza report review clean

$(STAMP): pyproject.toml requirements/lock.txt requirements/models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -c requirements/lock.txt -e .
	$(PIP) --no-deps --require-hashes -r requirements/models.txt
	touch $(STAMP)

$(TSTAMP): $(STAMP)
	$(PIP) -c requirements/lock.txt -e '.[dev,dask,stanza]'
	touch $(TSTAMP)

setup: $(STAMP)

setup-test: $(TSTAMP)

extract: setup
	$(PY) -m pipeline extract $(IN) --out $(OUT)

report: setup
	$(PY) -m pipeline report --out $(OUT)

review: setup
	$(PY) -m pipeline review --out $(OUT)

# The full suite, as CI runs it: lint, the layer contract, types, every test.
test: setup-test lint
	$(PY) -m pytest

# The fast loop (under a minute): lint, the layer contract, types, and the tests not marked
# slow (whole corpora, both engines on every case, training) or browser.
check: setup-test lint
	$(PY) -m pytest -q -m "not slow and not browser" -x

lint: setup-test
	$(PY) -m ruff check pipeline tests
	$(VENV)/bin/lint-imports
	$(PY) -m mypy

eval: setup
	$(PY) -m pipeline eval-all --shared $(SHARED)

bench: setup-test
	$(PY) -m pipeline.devtools.bench --shared $(SHARED)

# Hindi NER: the spaCy CNN (models/hi_ner) and the Stanza model for --backend stanza
# (models/hi_ner_stanza; needs the stanza extra). Data, labels and seed: training/hi_ner_data.toml.
train-hi-ner: setup
	OMP_NUM_THREADS=1 $(PY) -m pipeline.devtools.train_hindi --shared $(SHARED) --out models/hi_ner

train-hi-stanza: setup-test
	OMP_NUM_THREADS=1 $(PY) -m pipeline.devtools.train_hindi_stanza --shared $(SHARED) --out models/hi_ner_stanza

clean:
	rm -rf $(OUT) build *.egg-info
