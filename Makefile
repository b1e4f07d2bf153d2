# Leuven KCC suite: the commands of README.md. Everything is in tools/devenv.py.
PYTHON ?= python3
PORT ?= 8069

.PHONY: setup run test lint bench readme
setup:
	$(PYTHON) tools/devenv.py setup
run:
	$(PYTHON) tools/devenv.py run --port $(PORT)
test:
	$(PYTHON) tools/devenv.py test
lint:
	$(PYTHON) tools/devenv.py lint
bench:
	$(PYTHON) tools/devenv.py bench $(BENCH_ARGS)
readme:
	$(PYTHON) tools/gen_readme.py
