# The README's two commands: `make serve` and `make test`.
.PHONY: deps serve test check bench

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
