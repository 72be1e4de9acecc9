#!/usr/bin/env bash
# From a fresh clone to Facteur's main job on the bundled PHPList sample:
# installs and starts the services, builds Facteur, loads compat/'s sample database (PHPList 3.6.15,
# campaign 2 queued) as `phplist_sample`, writes a configuration for it, migrates and checks.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
command -v swift >/dev/null || export PATH="$PATH:/opt/swift/usr/bin"

scripts/services.sh up
eval "$(scripts/services.sh env)"
swift build

port=${FACTEUR_TEST_MYSQL_PORT:-13306}
mysql=(mariadb --protocol=tcp -h127.0.0.1 -P"$port" -uroot)
"${mysql[@]}" -e "DROP DATABASE IF EXISTS phplist_sample; CREATE DATABASE phplist_sample CHARACTER SET utf8mb4"
zcat compat/phplist-3.6.15/sample-queued.sql.gz | "${mysql[@]}" phplist_sample

config=.services/facteur-sample.yaml
cat >"$config" <<YAML
# Written by scripts/setup.sh: the bundled sample database and the local smtp-sink.
database:
  url: mysql://facteur:facteur@127.0.0.1:$port/phplist_sample
relays:
  - name: sink
    url: ${FACTEUR_TEST_SMTP_URL:-smtp://127.0.0.1:2525}
YAML

facteur=.build/debug/facteur
$facteur --config "$config" migrate
$facteur --config "$config" check
echo
echo "Sample ready. Try: $facteur --config $config check"
