# The README's two commands: `make serve` and `make test`.
.PHONY: deps serve test check bench dist dist-check

deps:
	@scripts/install-deps

serve: deps
	swift run fakelab serve $(ARGS)

# The crash test runs the real `fakelab` binary, so build products first (no-op when built).
test: deps
	swift build
	swift test

check: deps
	scripts/schemathesis-check

bench: deps
	Benchmarks/run

# A release binary that needs only glibc, as dist/fakelab-$(VERSION)-linux-x86_64.tar.gz (packaging/make-dist;
# its own scratch folder .build-dist, niced). `make dist-check` runs it in a minimal Debian root.
VERSION := $(shell cat VERSION)

dist: deps
	packaging/make-dist
	scripts/wheel-check --build-only   # dist/fakelab-$(VERSION)-py3-none-linux_x86_64.whl around the release binary

dist-check: dist
	scripts/dist-check dist/fakelab-$(VERSION)-linux-x86_64.tar.gz
