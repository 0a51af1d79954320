# The README's two commands: `make serve` and `make test`.
.PHONY: deps serve test check bench

deps:
	@scripts/install-deps

serve: deps
	swift run fakelab serve $(ARGS)

test: deps
	swift test

check: deps
	scripts/schemathesis-check

bench: deps
	Benchmarks/run
