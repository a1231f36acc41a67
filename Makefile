# The two commands a fresh machine needs (see README.md):
#   make demo   the main job, on embedded defaults (SQLite, the built-in model)
#   make test   every test: Swift unit tests, then the Python client suites (pytests/) and the
#               Python watermark package (python/, scripts/test-python-watermark)
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help model build release test demo bench clean

help:
	@echo "make demo   run Aegis end to end on this machine"
	@echo "make test   run every test (what CI runs)"
	@echo "make bench  run the benchmarks and write their figures into docs/"

model:
	@scripts/fetch-model

build:
	swift build

release:
	swift build -c release

test: model
	swift build --build-tests
	swift test --skip-build
	scripts/test-gateway
	scripts/test-exchange
	scripts/test-python-watermark

demo: model release
	@scripts/demo

bench: model release
	@scripts/bench

clean:
	rm -rf .build
