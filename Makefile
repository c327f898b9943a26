.PHONY: demo test setup lint format migrations-check bench
demo:
	./scripts/demo
test:
	./scripts/test
setup:
	./scripts/setup
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
migrations-check:
	.venv/bin/jiandu manage makemigrations --check --dry-run
