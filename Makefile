# The README's two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: run test serve check-deploy bench bench-messaging bench-events bench-search soak clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## Start the console: simulator (when no DIALPAD_API_KEY), worker, beat and web server.
run: $(VENV)/.installed
	$(PY) scripts/run_console.py

## The production processes on this machine (gunicorn, a worker, beat; see docs/deploy.md),
## after migrations and collectstatic. Settings from the environment; DJANGO_DEBUG=false.
serve: $(VENV)/.installed
	$(PY) scripts/serve.py

## Run the test suite (starts its own Redis when redis-server is installed).
test: $(VENV)/.installed
	PY=$(PY) bash scripts/test.sh

## `manage.py check --deploy` under production settings with throwaway values.
check-deploy: $(VENV)/.installed
	export DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=console.example.com DIALPAD_API_KEY=placeholder; \
	$(PY) manage.py collectstatic --no-input --verbosity 0 && \
	$(PY) manage.py check --deploy --fail-level WARNING

## The sync benchmark against the simulator's large org.
bench: $(VENV)/.installed
	$(PY) scripts/bench_sync.py

## The bulk message benchmark: 1,000 recipients, the rate limit's floor, a killed worker.
bench-messaging: $(VENV)/.installed
	$(PY) scripts/bench_messaging.py

## Events: latency from an outside change to the mirror, and the receiver's rate (needs
## redis-server; PostgreSQL at 127.0.0.1:5432, or pass --database sqlite).
bench-events: $(VENV)/.installed
	$(PY) scripts/bench_events.py

## The search benchmark: the admin's user list, user and number searches and an office page,
## at the simulator's large and xlarge orgs, on SQLite and on PostgreSQL (127.0.0.1:5432, or
## BENCH_POSTGRES_URL: a URL of its maintenance database). The first run syncs each org once
## (minutes at xlarge) and keeps it in var/bench-search/ and dialpad_bench_search_<org>.
bench-search: $(VENV)/.installed
	$(PY) scripts/bench_search.py $${BENCH_POSTGRES_URL:+--postgres-url $$BENCH_POSTGRES_URL}

## A large-org sync while admins push, create, rename and log in: on SQLite, then on
## PostgreSQL (127.0.0.1:5432, or SOAK_POSTGRES_URL: a URL of its maintenance database).
soak: $(VENV)/.installed
	$(PY) scripts/soak.py --database sqlite
	$(PY) scripts/soak.py --database postgres $${SOAK_POSTGRES_URL:+--postgres-url $$SOAK_POSTGRES_URL}

clean:
	rm -rf $(VENV) var/
