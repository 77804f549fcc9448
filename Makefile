# Two commands for a fresh machine: `make run` (the bot) and `make test` (the suite).
.PHONY: run test lint bench install

run:
	@./scripts/run.sh

test:
	@./scripts/test.sh

bench:
	@./scripts/bootstrap.sh >/dev/null && .venv/bin/python -m benchmarks.run_all

lint:
	@./scripts/bootstrap.sh >/dev/null && .venv/bin/ruff check . && .venv/bin/ruff format --check .

install:
	@./scripts/bootstrap.sh
