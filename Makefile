# Entry points for users, developers and CI. Everything runs from .venv, which
# the first target that needs it creates.
#
#   make render                 render + validate the bundled example (no hosts, no containers)
#   make test                   everything: unit, lint, sanity, docs-lint, galaxy-import,
#                               matrix-edges, real Kea checks, molecule scenarios
#                               (scripts/test.sh: the images build meanwhile, scenarios in lanes)
#   make matrix [VERSIONS=...]  unit, sanity and render under every claimed ansible-core line
#   make matrix-edges           the same under the oldest and the newest line only
#   make docs                   the HTML docs site (antsibull-docs) into build/docs/build/html
#   make docs-lint              antsibull-docs lint-collection-docs + antsibull-changelog lint
#   make changelog              build/changelog/CHANGELOG.rst, the fragments as the next release
#   make galaxy-import          galaxy-importer's checks on the tarball of `make build`
#   make molecule SCENARIO=x    one molecule scenario (extensions/molecule/x)
#   make molecule-all           every molecule scenario (not scale), in the lanes of
#                               extensions/molecule/lanes.txt side by side
#   make own-scenario           examples/own_scenario from the installed tarball (in a lane too)
#   make scale [BRANCHES=20]    the scale scenario: a generated hub of BRANCHES branches
#   make keama                  Debian's isc-dhcp-keama, for adopting an ISC DHCP estate (docs/adopt.md)
#   make rehearse INVENTORY=path [FAST_TIMERS=true] [BREAK=untag]
#                               your own inventory's hub, rehearsed in containers (docs/rehearse.md)

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLE ?= examples/seed
RENDER_DIR ?= build/render
COLLECTION_LINK := build/collections/ansible_collections/keadhcp/ha
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/$(BIN):$(PATH)

# The ansible-core lines meta/runtime.yml's requires_ansible claims, oldest first.
VERSIONS ?= 2.18 2.19 2.20 2.21

.PHONY: venv render test unit lint sanity kea-images keama kea molecule molecule-all own-scenario scale rehearse build benchmark clean
.PHONY: matrix matrix-edges docs docs-lint changelog galaxy-import

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || scripts/apt-install.sh python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn ../../../.. $@

venv: $(BIN)/.installed $(COLLECTION_LINK)

render: venv
	rm -rf $(RENDER_DIR)
	ansible-playbook -i $(EXAMPLE)/inventory.yml playbooks/render.yml -e kea_render_dir=$(CURDIR)/$(RENDER_DIR)
	@echo "Rendered into $(RENDER_DIR):" && find $(RENDER_DIR) -type f | sort

unit: venv
	pytest tests/unit

lint: venv
	ansible-lint --profile production

sanity: venv
	tests/sanity/run.sh

# One virtualenv per line in build/matrix/<line>/ (scripts/matrix.sh).
matrix: $(COLLECTION_LINK)
	scripts/matrix.sh $(VERSIONS)

matrix-edges: $(COLLECTION_LINK)
	scripts/matrix.sh $(firstword $(VERSIONS)) $(lastword $(VERSIONS))

# antsibull-docs and antsibull-changelog run from build/docs-venv (requirements-docs.txt).
docs:
	scripts/docs.sh site

docs-lint:
	scripts/docs.sh lint

changelog:
	scripts/docs.sh changelog

# galaxy-importer runs from build/galaxy-venv, with tests/galaxy/importer.cfg.
galaxy-import: build
	scripts/galaxy-import.sh

kea-images:
	scripts/kea-images.sh

# ISC's Kea Migration Assistant, which playbooks/adopt.yml runs on an ISC DHCP estate's dhcpd.conf.
keama:
	scripts/install-keama.sh

kea: venv kea-images
	pytest tests/integration

# The scenarios' systemd containers need the host's cgroup2 hierarchy, whose
# path depends on the host's cgroup layout: detected unless already set.
# molecule runs from the collection's root, where it finds the scenarios in
# extensions/molecule/ and their shared base, extensions/molecule/config.yml.
# `default` is hub_and_spoke under the name molecule loads first
# (extensions/molecule/default/molecule.yml): molecule-all skips it.
SCENARIOS = $$(for d in extensions/molecule/*/; do test -f $$d/molecule.yml && basename $$d; done | grep -vx default | xargs)
molecule: venv kea-images
	@test -n "$(SCENARIO)" || { echo "usage: make molecule SCENARIO=name (scenarios: $(SCENARIOS))"; exit 2; }
	@test "$(SCENARIO)" != scale || { echo "the scale scenario is generated: run make scale [BRANCHES=N]"; exit 2; }
	@test "$(SCENARIO)" != rehearse || { echo "the rehearse scenario is generated: run make rehearse INVENTORY=path"; exit 2; }
	@test -f extensions/molecule/$(SCENARIO)/molecule.yml || { echo "no scenario '$(SCENARIO)' in extensions/molecule/ (scenarios: $(SCENARIOS))"; exit 2; }
	cgroup=$${KEADHCP_CGROUP_SOURCE:-$$(scripts/cgroup-source.sh)} && \
	KEADHCP_CGROUP_SOURCE=$$cgroup molecule test -s $(SCENARIO)

molecule-all: venv kea-images
	scripts/molecule-lanes.sh

# examples/own_scenario, a molecule scenario of a user's own repository that takes
# its steps from the installed collection, run as that user would run it.
own-scenario: venv kea-images
	scripts/own-scenario.sh examples/own_scenario

# A hub of $(BRANCHES) branches (scripts/scale_scenario.py writes its platforms
# and topology into build/scale/, given to molecule as a second base config).
# Not part of test: 21 systemd containers do not fit CI's time on two cores.
BRANCHES ?= 20
scale: venv
	scripts/kea-images.sh 2.6 client
	$(BIN)/python scripts/scale_scenario.py --branches $(BRANCHES)
	cgroup=$${KEADHCP_CGROUP_SOURCE:-$$(scripts/cgroup-source.sh)} && \
	KEADHCP_CGROUP_SOURCE=$$cgroup molecule -c extensions/molecule/config.yml -c build/scale/base.yml test -s scale

# Your own inventory's kea_ha_topology in containers (scripts/rehearse_scenario.py
# writes its platforms and variables into build/rehearse/, given to molecule as a
# second base config), deployed with site.yml and checked; docs/rehearse.md.
FAST_TIMERS ?= false
BREAK ?=
rehearse: venv
	@test -n "$(INVENTORY)" || { echo "usage: make rehearse INVENTORY=path/to/inventory.yml [FAST_TIMERS=true] [BREAK=untag]"; exit 2; }
	scripts/kea-images.sh 2.6 3.0 client relay
	$(BIN)/python scripts/rehearse_scenario.py --inventory $(INVENTORY)
	cgroup=$${KEADHCP_CGROUP_SOURCE:-$$(scripts/cgroup-source.sh)} && \
	KEADHCP_CGROUP_SOURCE=$$cgroup KEADHCP_REHEARSE_FAST_TIMERS=$(FAST_TIMERS) KEADHCP_REHEARSE_BREAK=$(BREAK) \
	molecule -c extensions/molecule/config.yml -c build/rehearse/base.yml test -s rehearse

# The same steps as the targets above, the Kea images built while the checks
# that need no container run.
test: venv
	scripts/test.sh

build: venv
	ansible-galaxy collection build --force --output-path build/dist

benchmark: venv
	python benchmarks/render.py

clean:
	rm -rf build .pytest_cache .hypothesis
