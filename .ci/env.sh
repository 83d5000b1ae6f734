# Sourced by `make test`: start the services the suite needs, when this machine can.
# PostgreSQL: .ci/postgres.sh installs (Debian packages) and starts a throwaway server and
# prints `export CLAIMSCOPE_TEST_PG=...`; the PostgreSQL tests skip when no URL is set, and
# CI (CI=1 or CLAIMSCOPE_REQUIRE_PG=1) fails instead of skipping.
if [ -z "${CLAIMSCOPE_TEST_PG:-}" ] && [ -x .ci/postgres.sh ]; then
  if line=$(.ci/postgres.sh 2>.ci-postgres.log | tail -n 1) && [ "${line#export CLAIMSCOPE_TEST_PG=}" != "$line" ]; then
    export CLAIMSCOPE_TEST_PG="${line#export CLAIMSCOPE_TEST_PG=}"
  else
    echo "note: PostgreSQL could not be started (see .ci-postgres.log); its tests will skip" >&2
  fi
fi
