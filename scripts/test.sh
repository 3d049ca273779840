#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it:
#   1. ruff (lint and format) and mypy on the metrics library;
#   2. every test on SQLite (browser tests included, in headless Chromium);
#   3. every test but the browser ones again on PostgreSQL, when DATABASE_URL is set or a server
#      answers on 127.0.0.1:5432 (database "test").
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
status=0
step() { echo; echo "=== $* ==="; }

step "ruff"
$BIN/ruff check . || status=1
$BIN/ruff format --check . || status=1

step "mypy (metrics library)"
$BIN/mypy || status=1

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "!!! could not install chromium: browser tests will be SKIPPED"
  else
    echo "!!! /usr/bin/chromium missing and apt not usable: browser tests will be SKIPPED"
  fi
fi

if [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing Debian's nginx for the reverse-proxy tests (tests/production)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) \
      || echo "!!! could not install nginx: the reverse-proxy tests will FAIL"
  else
    echo "!!! /usr/sbin/nginx missing and apt not usable: the reverse-proxy tests will FAIL"
  fi
fi

if [ ! -x /usr/bin/wrk ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing Debian's wrk for the load test (tests/pages/test_load.py)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
      || echo "!!! could not install wrk: the load test will FAIL"
  else
    echo "!!! /usr/bin/wrk missing and apt not usable: the load test will FAIL"
  fi
fi

export DJANGO_ALLOW_ASYNC_UNSAFE=true
step "tests on SQLite (with browser tests)"
env -u DATABASE_URL $BIN/pytest -n 2 --dist loadgroup -q "$@" || status=1

pg_url="${DATABASE_URL:-}"
if [ -z "$pg_url" ] && $BIN/python - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
then
  pg_url="postgresql://postgres@127.0.0.1:5432/test"
fi
if [ -n "$pg_url" ]; then
  step "tests on PostgreSQL ($pg_url)"
  DATABASE_URL="$pg_url" $BIN/pytest -n 2 -q -m "not browser" "$@" || status=1
else
  echo "!!! no PostgreSQL found (set DATABASE_URL): PostgreSQL tests SKIPPED"
fi

echo
if [ $status -eq 0 ]; then echo "ALL CHECKS PASSED"; else echo "SOME CHECKS FAILED"; fi
exit $status
