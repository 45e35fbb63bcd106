# The AGE replication workspace. `make` runs everything; `make test` tests it.
# Run `make help` for the targets.

SWIFT    ?= swift
PROFILE  ?= standard
FIGURES  ?= figures
BIN      := .build/release
# Kernel threads of every chapter run (default: this machine's cores; results do not depend on it).
THREADS  ?= $(shell nproc 2>/dev/null || echo 2)
# Datasets other than the packaged Fashion-MNIST: --data-dir / AGE_DATA / ./data.
# If a sibling folder ../shared/data exists (the project's own machines), it is used.
AGE_DATA ?= $(firstword $(wildcard ../shared/data) data)
export AGE_DATA

# Chapter folders (chapters/NN-name) and their executables (chapterN).
CHAPTER_DIRS := $(sort $(patsubst chapters/%/,%,$(dir $(wildcard chapters/*/README.md))))
CHAPTER_NUMS := $(foreach d,$(CHAPTER_DIRS),$(patsubst 0%,%,$(firstword $(subst -, ,$(d)))))

DEBS := pkg-config libpng-dev zlib1g-dev libjpeg-dev libturbojpeg0-dev gnuplot-nox dataset-fashion-mnist
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: all help deps build chapters report quick full test unit-tests imports-test data-test example smoke bench plots clean data $(addprefix chapter-,$(CHAPTER_NUMS))

all: deps build chapters report ## The main job: install what is missing, build, run every chapter (standard profile), rebuild REPLICATION.md

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_%-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

deps: ## Install missing Debian packages (libpng, zlib, libjpeg, gnuplot, Fashion-MNIST)
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null \
	    || { echo "error: could not install$$missing; install them by hand (apt-get install$$missing)"; exit 1; }; \
	fi

build: ## Build everything in release mode
	$(SWIFT) build -c release

chapters: $(addprefix chapter-,$(CHAPTER_NUMS)) ## Run every chapter at PROFILE (default standard)

define chapter_rule
chapter-$(1): build
	$(BIN)/chapter$(1) --profile $(PROFILE) --out $(FIGURES)/$(2) --threads $(THREADS)
endef
$(foreach d,$(CHAPTER_DIRS),$(eval $(call chapter_rule,$(patsubst 0%,%,$(firstword $(subst -, ,$(d)))),$(d))))

report: ## Rebuild REPLICATION.md from the chapters' prose and results
	$(SWIFT) build -c release --product report
	$(BIN)/report --figures $(FIGURES) --output $(if $(filter figures,$(FIGURES)),REPLICATION.md,$(FIGURES)/REPLICATION.md)

quick: deps ## Every chapter at the quick profile into figures-quick/, with its own REPLICATION.md
	$(MAKE) build chapters report PROFILE=quick FIGURES=figures-quick

full: deps ## Every chapter at the full (longest) profile, then the report
	$(MAKE) build chapters report PROFILE=full

test: deps unit-tests imports-test data-test example smoke ## The tests: unit tests, the data checksum check, the library-usage example, then a smoke run of every chapter through figures and a report

unit-tests:
	$(SWIFT) test

data-test:
	sh tools/data/test.sh

imports-test: ## Check that Package.swift declares exactly the modules each target imports
	$(SWIFT) build -c release --product check-imports
	$(SWIFT) package dump-package > .build/package.json
	$(BIN)/check-imports .build/package.json

example: ## Build and run examples/library-usage against this repository as a tagged git dependency
	SWIFT=$(SWIFT) sh tools/example/test.sh

# Where `make data` puts MNIST, CIFAR-10 and SVHN (the chapters find them with AGE_DATA=$(DATA_DIR)).
DATA_DIR ?= data
data: ## Download MNIST, CIFAR-10 and SVHN from their sites into DATA_DIR (default data/) and check their digests
	sh tools/data/fetch.sh $(DATA_DIR)
	sh tools/data/verify.sh $(DATA_DIR)

smoke: build ## A few-step run of every chapter into .build/smoke, through plots and a report fragment
	@rm -rf .build/smoke runs/*/smoke
	$(MAKE) chapters report PROFILE=smoke FIGURES=.build/smoke
	@echo "smoke: $(words $(CHAPTER_DIRS)) chapters ran; report at .build/smoke/REPLICATION.md"

# TORCH_PYTHON: a Python with torch (e.g. a throwaway virtualenv); then `make bench` also runs PyTorch side by side.
TORCH_PYTHON ?=
bench: ## Speed: FMA peak, GEMM, the AGE iteration at widths 32 and 64 on 1 and 2 threads, the MLP path (with TORCH_PYTHON=..., side by side with PyTorch)
	$(SWIFT) build -c release --product bench
	$(BIN)/bench --json bench.json --configs mnist32,cifar32,dcgan32px
ifeq ($(TORCH_PYTHON),)
	@for w in 32 64; do for t in 1 2; do echo "== width $$w, $$t thread(s)"; \
	  $(BIN)/bench --age-only --configs mnist32 --mlp-batches '' --iters 20 --width $$w --threads $$t | grep AGE; done; done
	@for t in 1; do $(BIN)/bench --mlp-only --iters 20 --threads $$t | grep MLP; done
	@echo "(set TORCH_PYTHON to a Python with torch to compare with PyTorch side by side)"
else
	TORCH_PYTHON=$(TORCH_PYTHON) sh tools/bench/compare.sh $(BIN)/bench 3
endif

plots: ## Re-render every gnuplot script under $(FIGURES)
	@for gp in $(FIGURES)/*/*.gp; do (cd $$(dirname $$gp) && gnuplot $$(basename $$gp)) || exit 1; done

clean: ## Remove build products and quick/smoke outputs (keeps the committed figures)
	rm -rf .build figures-quick bench.json
