# The same steps as CI (.ci/run), one target each.
.PHONY: ci fmt lint test status bench

ci:
	bash .ci/run

fmt:
	cargo fmt --all

lint:
	cargo clippy --locked --all-targets -- -D warnings

test:
	cargo test --locked
	cargo run --locked --quiet -- --dir roadmap test

status:
	cargo run --release -- status
