# Build, test and demo toolchain of the fleetops.mdm collection (the repo root is the
# collection root). Needs only python3 (3.11+) and make; every target creates what it
# needs. `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Interpreters: ansible-core 2.19 runs on Python 3.11-3.13, ansible-core 2.16 on 3.10-3.12,
# ansible-core 2.21 (the current release) on 3.12+ only: the newest of 3.13 and 3.12 that the
# machine has (on PATH or in pyenv's versions); where it has neither, the 2.21 stages say
# SKIPPED and pass (make PYTHON_2_21=/path/to/python3.12 names one).
PYTHON ?= python3
PYTHON_2_16 ?= $(PYTHON)
PYTHON_2_21 ?= $(shell bash scripts/find-python.sh 3.13 3.12)
VENV := .venv
VENV_2_16 := .venv-2.16
VENV_2_21 := .venv-2.21
VENV_EDA := .venv-eda
# The shared project directory beside the repo (offline ansible-test get-pip stand-in).
SHARED_DIR ?= $(CURDIR)/../shared
PYTEST_ARGS ?=

BUILD := $(CURDIR)/.build
DIST := $(BUILD)/dist
COLLECTIONS_DIR := $(BUILD)/collections
INSTALLED := $(COLLECTIONS_DIR)/ansible_collections/fleetops/mdm

# What the tests see: the collection as built and installed from the tarball (so that
# `import ansible_collections.fleetops.mdm...` exercises what users get), and the
# simulator package `mdmsim`. PYTHONPATH is set, not extended, to keep runs reproducible.
TEST_ENV := ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_DIR) \
	PYTHONPATH=$(COLLECTIONS_DIR):$(CURDIR)/tests/simulator \
	ANSIBLE_NOCOLOR=1

# Everything that ends up in the collection tarball; a change rebuilds it.
COLLECTION_SRC := galaxy.yml README.md requirements.txt bindep.txt \
	$(shell find meta plugins roles playbooks docs changelogs extensions tests \
		\( -name __pycache__ -o -name output -o -name .pytest_cache \) -prune \
		-o -type f -print 2>/dev/null)

.PHONY: help venv venvs venv-2.16 venv-2.21 collection sanity sanity-2.19 sanity-2.16 sanity-2.21 units units-2.19 \
	units-2.16 units-2.21 integration smoke-2.16 smoke-2.21 lint changelog-lint test demo bench-inventory bench-actions \
	bench-login clean molecule browser reliability eda venv-eda java

help:
	@echo "make venv         .venv with requirements-dev.txt (ansible-core 2.19, ansible-lint, pytest, ...)"
	@echo "make venv-2.16    .venv-2.16 with requirements-ansible-2.16.txt (oldest supported core)"
	@echo "make venv-2.21    .venv-2.21 with requirements-ansible-2.21.txt (newest core; Python 3.12+, found by itself)"
	@echo "make collection   build the tarball into .build/dist and install it into .build/collections"
	@echo "make sanity       ansible-test sanity with ansible-core 2.21, 2.19 and 2.16"
	@echo "make units        pytest tests/unit with ansible-core 2.21, 2.19 and 2.16"
	@echo "make integration  pytest tests/integration (starts the simulator itself)"
	@echo "make smoke-2.21   the integration smoke set (SMOKE_2_21) with ansible-core 2.21; smoke-2.16 likewise"
	@echo "make eda          the Event-Driven Ansible rulebook end to end with ansible-rulebook (.venv-eda, Java 17+)"
	@echo "make molecule     the molecule scenarios of the roles (extensions/molecule), against one simulator"
	@echo "make lint         ansible-lint --profile production and antsibull-changelog lint"
	@echo "make test         all of the above, in order, stopping at the first failure"
	@echo "make demo         list 500 simulated devices with playbooks/demo.yml"
	@echo "make reliability  run the fault matrix against the simulator and write docs/reliability.md"
	@echo "make bench-inventory  inventory benchmark (10,000 devices per vendor, 20 ms latency)"
	@echo "make bench-actions    device-command benchmark (lock of 2,000 devices per vendor vs ansible.builtin.uri)"
	@echo "make bench-login      login-reuse benchmark (a 50-task play per vendor, login cache on vs off)"
	@echo "make clean        remove venvs, build and test output"

# --- virtualenvs (re-installed only when their requirement files change) ---------------
venv: $(VENV)/.installed
venv-2.16: $(VENV_2_16)/.installed
venvs: venv venv-2.16 venv-2.21

$(VENV)/.installed: requirements-dev.txt requirements.txt
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else "$(PYTHON) is Python %d.%d; ansible-core 2.19 needs 3.11-3.13: make PYTHON=python3.X" % v)'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(VENV_2_16)/.installed: requirements-ansible-2.16.txt
	@$(PYTHON_2_16) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 12) else "$(PYTHON_2_16) is Python %d.%d; ansible-core 2.16 needs 3.10-3.12: make PYTHON_2_16=python3.X" % v)'
	test -x $(VENV_2_16)/bin/python || $(PYTHON_2_16) -m venv $(VENV_2_16)
	$(VENV_2_16)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-ansible-2.16.txt
	touch $@

# ansible-core 2.21: only where a Python 3.12+ exists; elsewhere every 2.21 target says what it skips.
ifneq ($(PYTHON_2_21),)
venv-2.21: $(VENV_2_21)/.installed

$(VENV_2_21)/.installed: requirements-ansible-2.21.txt
	@$(PYTHON_2_21) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 12) <= v <= (3, 14) else "$(PYTHON_2_21) is Python %d.%d; ansible-core 2.21 needs 3.12-3.14: make PYTHON_2_21=python3.X" % v)'
	test -x $(VENV_2_21)/bin/python || $(PYTHON_2_21) -m venv $(VENV_2_21)
	$(VENV_2_21)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-ansible-2.21.txt
	touch $@
else
venv-2.21 sanity-2.21 units-2.21 smoke-2.21:
	@echo "$@: SKIPPED - no Python 3.13 or 3.12 on PATH or in pyenv, so ansible-core 2.21 is not tested on this machine" \
		"(install one, or make PYTHON_2_21=/path/to/python3.12)"
endif

# --- the collection as users get it --------------------------------------------------------
collection: $(INSTALLED)/MANIFEST.json

$(INSTALLED)/MANIFEST.json: $(VENV)/.installed $(COLLECTION_SRC)
	rm -rf $(DIST)
	$(VENV)/bin/ansible-galaxy collection build --force --output-path $(DIST) $(CURDIR)
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_DIR) $(VENV)/bin/ansible-galaxy collection install \
		--offline --force -p $(COLLECTIONS_DIR) $(DIST)/fleetops-mdm-*.tar.gz
	touch $@

# --- sanity: ansible-test on a copy of the tree (see scripts/sanity.sh) -------------------
sanity: sanity-2.21 sanity-2.19 sanity-2.16

sanity-2.19: venv
	SHARED_DIR=$(SHARED_DIR) bash scripts/sanity.sh $(VENV)

sanity-2.16: venv-2.16
	SHARED_DIR=$(SHARED_DIR) bash scripts/sanity.sh $(VENV_2_16)

ifneq ($(PYTHON_2_21),)
sanity-2.21: venv-2.21
	SHARED_DIR=$(SHARED_DIR) bash scripts/sanity.sh $(VENV_2_21)
endif

# --- pytest ------------------------------------------------------------------------------
units: units-2.21 units-2.19 units-2.16

units-2.19: venv collection
	$(TEST_ENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/python -m pytest $(PYTEST_ARGS) tests/unit

units-2.16: venv-2.16 collection
	$(TEST_ENV) PATH=$(CURDIR)/$(VENV_2_16)/bin:$$PATH $(VENV_2_16)/bin/python -m pytest $(PYTEST_ARGS) tests/unit

ifneq ($(PYTHON_2_21),)
units-2.21: venv-2.21 collection
	$(TEST_ENV) PATH=$(CURDIR)/$(VENV_2_21)/bin:$$PATH $(VENV_2_21)/bin/python -m pytest $(PYTEST_ARGS) tests/unit
endif

# The integration tests start the simulator and run ansible-playbook / ansible-inventory
# from the interpreter's bin directory.
# Two workers, one test file each at a time (each worker starts its own simulator): the suite is mostly waiting
# on ansible-playbook processes. INTEGRATION_WORKERS=0 runs it in one process.
INTEGRATION_WORKERS ?= 2
integration: venv collection browser
	$(TEST_ENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/python -m pytest \
		$(if $(filter-out 0,$(INTEGRATION_WORKERS)),-n $(INTEGRATION_WORKERS) --dist loadfile) $(PYTEST_ARGS) tests/integration

# The smoke set of integration tests for the oldest and the newest ansible-core (the whole suite runs on 2.19):
# the inventory as ansible-inventory prints it and AWX imports it (plain variables, template-like device names never
# evaluated, compose), a module run in both modes, and (2.21, which has ansible-runner) a job the way AWX runs one.
# What does not depend on the core (host names across an enrolment wave, the group command) runs on 2.19 only.
SMOKE_INVENTORY := tests/integration/test_inventory_awx.py::test_awx_import_of_list_export_gets_plain_variables
SMOKE_2_16 ?= '$(SMOKE_INVENTORY)[maas360]' '$(SMOKE_INVENTORY)[mobileiron_core]' \
	tests/integration/test_inventory_awx.py::test_list_without_export_has_the_same_plain_variables \
	tests/integration/test_inventory_awx.py::test_compose_overrides_the_connection_and_stays_plain \
	tests/integration/test_inventory_awx.py::test_template_device_names_are_never_evaluated \
	'tests/integration/test_device_info.py::test_lists_every_device_exactly_once[apply-maas360]' \
	'tests/integration/test_device_info.py::test_lists_every_device_exactly_once[check_mode-mobileiron_core]'
SMOKE_2_21 ?= $(SMOKE_2_16) tests/integration/test_awx.py::test_fleet_report_job_through_ansible_runner
smoke-2.16: venv-2.16 collection
	$(TEST_ENV) PATH=$(CURDIR)/$(VENV_2_16)/bin:$$PATH $(VENV_2_16)/bin/python -m pytest $(PYTEST_ARGS) $(SMOKE_2_16)

ifneq ($(PYTHON_2_21),)
smoke-2.21: venv-2.21 collection
	$(TEST_ENV) PATH=$(CURDIR)/$(VENV_2_21)/bin:$$PATH $(VENV_2_21)/bin/python -m pytest $(PYTEST_ARGS) $(SMOKE_2_21)
endif

# The fleet report test opens the report in headless Chromium (Debian package chromium).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

# --- Event-Driven Ansible: ansible-rulebook runs the rulebook fleetops.mdm.noncompliant_devices against the simulator
# (tests/eda). ansible-rulebook has a virtualenv of its own (its pins are not the dev toolchain's) and needs a Java 17+
# runtime: the Debian package default-jre-headless is installed only when `java -version` is missing or older.
venv-eda: $(VENV_EDA)/.installed

$(VENV_EDA)/.installed: requirements-eda.txt
	test -x $(VENV_EDA)/bin/python || $(PYTHON) -m venv $(VENV_EDA)
	$(VENV_EDA)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-eda.txt
	touch $@

java:
	@major=$$(java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1); \
		if [ -z "$$major" ] || [ "$$major" -lt 17 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless; \
		fi

eda: venv collection java venv-eda
	$(TEST_ENV) EDA_VENV=$(CURDIR)/$(VENV_EDA) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/python -m pytest $(PYTEST_ARGS) tests/eda

# --- molecule: every role scenario in extensions/molecule; the default scenario starts and stops one simulator
# for all of them (shared_state). --destroy always stops it when a scenario fails too.
molecule: venv collection
	$(TEST_ENV) NO_COLOR=1 PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/molecule test --all --destroy always

# --- lint ------------------------------------------------------------------------------------
lint: venv changelog-lint
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/ansible-lint --profile production

changelog-lint: venv
	$(VENV)/bin/antsibull-changelog lint

# --- everything, in order, with timings ---------------------------------------------------------
# ansible-core 2.19 runs everything; 2.21 (the current release) and 2.16 (the oldest supported) run
# sanity, units and the integration smoke set.
test:
	+@MAKE='$(MAKE)' bash scripts/run-stages.sh venvs collection changelog-lint \
		sanity-2.21 sanity-2.19 sanity-2.16 units-2.21 units-2.19 units-2.16 smoke-2.21 smoke-2.16 \
		integration eda molecule lint

# --- demo ------------------------------------------------------------------------------------
# `mdmsim run` starts the simulator, writes its connection settings to the file named by
# MDM_SIM_VARS, runs the command after `--`, then stops. The sh -c makes sure that
# $MDM_SIM_VARS is expanded in the simulator's child process, where it is set.
demo: venv collection
	$(TEST_ENV) ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
		PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/python -m mdmsim run --devices 500 --seed 42 -- \
		sh -c 'exec ansible-playbook playbooks/demo.yml -e "@$$MDM_SIM_VARS"'

# --- the fault matrix document: `make test` checks docs/reliability.md (tests/integration/test_fault_matrix.py);
# this target runs the same matrix and writes it. Run it after a change to the matrix, and commit the result.
reliability: venv collection
	$(TEST_ENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/python tests/integration/fault_matrix.py docs/reliability.md

# --- benchmarks (not part of `make test`: they measure, they do not pass or fail) -----------------
BENCH_ARGS ?=
bench-inventory: venv collection
	$(TEST_ENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/python benchmarks/inventory.py $(BENCH_ARGS)

bench-actions: venv collection
	$(TEST_ENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/python benchmarks/actions.py $(BENCH_ARGS)

bench-login: venv collection
	$(TEST_ENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/python benchmarks/login.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(VENV_2_16) $(VENV_2_21) $(VENV_EDA) .build tests/output .ansible collections .pytest_cache
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
