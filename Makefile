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
# The main Hindi model, then the four members of the vote (Settings.hindi_vote_members; each
# differs from the main model's training in one setting, models/hi_ner/README.md "Vote"), then
# the vote's scores. One thread each, about 80 minutes in all on this machine.
HI_TRAIN = OMP_NUM_THREADS=1 $(PY) -m pipeline.devtools.train_hindi --shared $(SHARED)
HI_SHORT = --set training.max_steps=3600 --set training.patience=1200
train-hi-ner: setup
	$(HI_TRAIN) --out models/hi_ner
	$(HI_TRAIN) --out models/hi_ner_batch2000 --work training/members/batch2000 \
		--set training.batcher.size.stop=2000
	$(HI_TRAIN) --out models/hi_ner_hidden128 --work training/members/hidden128 \
		--set components.ner.model.hidden_width=128
	$(HI_TRAIN) --out models/hi_ner_window2 --work training/members/window2 \
		--set components.tok2vec.model.encode.window_size=2 $(HI_SHORT)
	$(HI_TRAIN) --out models/hi_ner_chars --work training/members/chars \
		--config training/hi_ner_chars.cfg $(HI_SHORT)
	OMP_NUM_THREADS=1 $(PY) -m pipeline.devtools.score_hindi_vote --shared $(SHARED)

train-hi-stanza: setup-test
	OMP_NUM_THREADS=1 $(PY) -m pipeline.devtools.train_hindi_stanza --shared $(SHARED) --out models/hi_ner_stanza

clean:
	rm -rf $(OUT) build *.egg-info
