#!/usr/bin/env bash
# Make Debian's headless browser available for the browser tests (pytest -m browser).
#
#   bash .ci/chromium.sh
#
# Installs the `chromium` and `chromium-driver` packages (/usr/bin/chromium,
# /usr/bin/chromedriver) when either binary is missing; does nothing, quickly, when both are
# there. Quiet: apt's output goes to stderr only on failure. Needs root (or sudo-less root
# as in CI) only when it has something to install.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi

log() { echo "chromium.sh: $*" >&2; }
log "installing chromium and chromium-driver from Debian packages"
export DEBIAN_FRONTEND=noninteractive
out=$(mktemp "${TMPDIR:-/tmp}/chromium-apt.XXXXXX")
trap 'rm -f "$out"' EXIT
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium chromium-driver; } >"$out" 2>&1; then
    cat "$out" >&2
    log "installation failed"
    exit 1
fi
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || { log "binaries still missing"; exit 1; }
log "$(/usr/bin/chromium --version 2>/dev/null || echo chromium installed)"
