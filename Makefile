.PHONY: run test

# Start the portal with demo content on the embedded default (SQLite, eager Celery).
run:
	bash scripts/run.sh

# Lint and the whole test suite on the real stack (PostgreSQL, Redis, Celery, Chromium).
test:
	bash scripts/test.sh
