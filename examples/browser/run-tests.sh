#!/usr/bin/env bash
# The consent banner's real-browser test: starts examples/target/tollgate-demo.jar (built by `mvn -B verify`)
# on a random port with its embedded PostgreSQL and drives Debian's chromium with playwright-core.
# Needs: `npm ci` here and /usr/bin/chromium (`apt-get install -y chromium`). Screenshots: target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f ../target/tollgate-demo.jar ]; then
  echo "run-tests: ../target/tollgate-demo.jar is missing; run 'mvn -B verify' (or package) first" >&2
  exit 1
fi
exec node --test --test-concurrency=1 banner.test.mjs
