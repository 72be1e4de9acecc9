#!/usr/bin/env bash
# The whole test suite against real servers: installs and starts them (scripts/services.sh), then
# `swift test`. This is what .ci/run calls. Extra arguments go to `swift test` (e.g. --filter SMTPTests).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
command -v swift >/dev/null || export PATH="$PATH:/opt/swift/usr/bin"

scripts/services.sh up
eval "$(scripts/services.sh env)"
# The bounce corpus lives in the shared folder beside the clone when there is one.
if [ -z "${FACTEUR_BOUNCE_CORPUS:-}" ] && [ -d "$here/../shared/bounces" ]; then
  export FACTEUR_BOUNCE_CORPUS="$here/../shared/bounces"
fi

swift build --build-tests
swift test --skip-build "$@"
