# Sourced by `make test`: start the services the suite needs, when this machine can.
# PostgreSQL: .ci/postgres.sh installs (Debian packages) and starts a throwaway server and
# prints `export CLAIMSCOPE_TEST_PG=...`; the PostgreSQL tests skip when no URL is set (under
# .ci/run, which sets CLAIMSCOPE_REQUIRE_SERVICES=1, they fail instead).
# The server started here is stopped, and its files removed, when the sourcing shell exits.
if [ -z "${CLAIMSCOPE_TEST_PG:-}" ] && [ -x .ci/postgres.sh ]; then
  if out=$(.ci/postgres.sh 2>.ci-postgres.log) \
      && line=$(printf '%s\n' "$out" | grep '^export CLAIMSCOPE_TEST_PG=') \
      && pgdir=$(printf '%s\n' "$out" | sed -n 's/^# dir: //p'); then
    export CLAIMSCOPE_TEST_PG="${line#export CLAIMSCOPE_TEST_PG=}"
    trap '.ci/postgres.sh --stop "$pgdir" 2>>.ci-postgres.log' EXIT
  else
    echo "note: PostgreSQL could not be started (see .ci-postgres.log); its tests will skip" >&2
  fi
fi
# Chromium and chromedriver (Debian's packages) for the browser tests; they skip without them.
if [ -x .ci/chromium.sh ] && ! .ci/chromium.sh; then
  echo "note: chromium could not be installed; the browser tests will skip" >&2
fi
