# Two commands for users: `make lab` (JupyterLab on the notebooks) and `make test` (every test).
# Both create .venv on first use from requirements.lock, so they work on a fresh machine with
# only Python 3.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8888
JOBS   ?= $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
# JupyterLab refuses to start as root unless told.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test data docs notebooks bench bench-scale install clean student slides site trainer-site

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

lab: $(STAMP)
	@echo "JupyterLab will print its URL (with the token) below; open it in a browser."
	$(BIN)/jupyter lab --notebook-dir=notebooks --no-browser --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG)

# Every core (pytest-xdist); a notebook's cells stay together on one worker (--dist loadfile).
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile

data: $(STAMP)
	$(BIN)/python -m custkit.cli generate --preset classroom --out datasets --force --dataset

docs: $(STAMP)
	$(BIN)/python -m custkit.docs

# Re-run every notebook top to bottom from a fresh kernel and store its outputs (nbval checks them).
notebooks: $(STAMP)
	ls notebooks/*.ipynb | xargs -P $(JOBS) -n 1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.record_timing=False

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_generate.py
	$(BIN)/python benchmarks/bench_analyses.py --classroom
	$(BIN)/python benchmarks/bench_analyses.py
	$(BIN)/python benchmarks/bench_course.py

# Streamed shops of 100,000 and 1,000,000 customers on 1 and 2 Dask workers, and the analyses read
# from the larger (about six minutes on two cores, 3 GB of temporary disk).
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py

# Trainer deliverables (custkit/classroom): student copies without solutions (+ build/student.zip),
# reveal.js slides, a static site of the executed notebooks without solutions (+ build/site.zip)
# and the trainer's site with them (build/trainer-site); all offline.
student: $(STAMP)
	$(BIN)/python -m custkit.classroom student --out build/student --force

slides: $(STAMP)
	$(BIN)/python -m custkit.classroom slides --out build/slides --force

# The students' site (no solutions): the one to upload to a learning-management system.
site: $(STAMP)
	$(BIN)/python -m custkit.classroom site --out build/site --force

# The trainer's site, solutions and the answer sheet (answers.html: every notebook is run to
# compute it, about two minutes) included: keep it to yourself.
trainer-site: $(STAMP)
	$(BIN)/python -m custkit.classroom site --with-solutions --answers --out build/trainer-site --force

clean:
	rm -rf $(VENV) build .pytest_cache
