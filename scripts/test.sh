#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it:
#   1. ruff (lint and format) and mypy (django-stubs plugin) on the whole project;
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

step "mypy (the whole project, django-stubs plugin)"
$BIN/mypy || status=1

# Debian packages some tests need: installed here when missing (as root with apt), else said.
#   debian_tool EXECUTABLE PACKAGE "what needs it" "what happens without it"
debian_tool() {
  [ -x "$1" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing Debian's $2 for $3"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null) \
      || echo "!!! could not install $2: $4"
  else
    echo "!!! $1 missing and apt not usable: $4"
  fi
}
debian_tool /usr/bin/chromium chromium "the browser tests" "browser tests will be SKIPPED"
debian_tool /usr/sbin/nginx nginx "the reverse-proxy tests (tests/production)" \
  "the reverse-proxy tests will FAIL"
debian_tool /usr/bin/wrk wrk "the load test (tests/pages/test_load.py)" "the load test will FAIL"

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
