# Leuven KCC suite: the commands of README.md. Everything is in tools/devenv.py.
PYTHON ?= python3
PORT ?= 8069

.PHONY: setup run test lint bench
setup:
	$(PYTHON) tools/devenv.py setup
run:
	$(PYTHON) tools/devenv.py run --port $(PORT)
test:
	$(PYTHON) tools/devenv.py test
lint:
	$(PYTHON) tools/devenv.py lint
bench:
	.venv/bin/python bench/run_all.py $(BENCH_ARGS)
