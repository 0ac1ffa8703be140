# Two commands for a new machine:
#   make demo   install everything, then open the tour notebook in JupyterLab
#   make test   install everything, then run every test (lint, JS types, JS, docs, Python, browser)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DOCS_OUT := docs/_build/html
# Warnings are errors (-W, after the whole site is checked: --keep-going), every reference must
# resolve (-n), and the site is re-read from scratch (-E) so a warning is never hidden by a
# cached page.
SPHINX := $(PY) -m sphinx -W --keep-going -n -E -q -b html docs $(DOCS_OUT)

.PHONY: demo test install docs bench clean check-wheel test-python313

$(STAMP): pyproject.toml js/package.json js/package-lock.json
	scripts/install-system-packages.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	cd js && npm ci --no-audit --no-fund --loglevel=error
	cd js && npm run build
	$(PY) -m pip install -q -e ".[test,bench]"
	touch $(STAMP)

install: $(STAMP)

# --allow-root: JupyterLab refuses to start as root (containers, CI machines) without it
demo: $(STAMP)
	$(VENV)/bin/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) examples/tour.ipynb

test: $(STAMP)
	cd js && npm run build
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	cd js && npm run check
	cd js && npm test
	$(SPHINX)
	$(PY) -m pytest
	scripts/test-python313.sh --if-debian --no-browser

# The package as users get it (also run by `make test`, in pytest): python -m build, then the
# wheel in a fresh venv with Node hidden: the tour with nbclient, the CLI, JupyterLab.
check-wheel: $(STAMP)
	cd js && npm run build
	$(PY) -m pytest tests/test_wheel.py tests/e2e/test_wheel_lab.py

# The whole suite on Debian 13's Python 3.13 in a chroot (root; the first run makes the chroot);
# `make test` runs the part without a browser there.
test-python313: $(STAMP)
	cd js && npm run build
	scripts/test-python313.sh

# The site, with the live widget page that the front page embeds (it needs the bundle).
docs: $(STAMP)
	cd js && npm run build
	$(SPHINX)

bench: $(STAMP)
	cd js && npm run build
	$(PY) benchmarks/engine.py
	$(PY) benchmarks/widget.py
	$(PY) benchmarks/training.py
	node benchmarks/layout.mjs
	$(PY) benchmarks/trainview.py

clean:
	rm -rf $(VENV) js/node_modules micrograd_magic/static docs/_build
