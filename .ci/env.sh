# Sourced by `make test`: start the services the suite needs, when this machine can.
# PostgreSQL: .ci/postgres.sh installs (Debian packages) and starts a throwaway server and
# prints its URL; the PostgreSQL tests skip when no URL is set.
if [ -z "${CLAIMSCOPE_TEST_PG:-}" ] && [ -x .ci/postgres.sh ]; then
  if url=$(.ci/postgres.sh 2>.ci-postgres.log | tail -n 1) && [ -n "$url" ]; then
    export CLAIMSCOPE_TEST_PG="$url"
  else
    echo "note: PostgreSQL could not be started (see .ci-postgres.log); its tests will skip" >&2
  fi
fi
