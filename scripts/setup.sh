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

# PHPList's own config.php for the sample (compat/), pointed at the local services: Facteur reads the
# envelope, attachment repository and text-part settings from it, as it would on a PHPList server.
php=.services/phplist-sample-config.php
sed -e "s|^\$database_user = .*|\$database_user = 'facteur';|" \
    -e "s|^\$database_password = .*|\$database_password = 'facteur';|" \
    -e "s|^\$database_name = .*|\$database_name = 'phplist_sample';|" \
    -e "s|^// \$database_port = .*|\$database_port = $port;|" \
    -e "s|^\$attachment_repository = .*|\$attachment_repository = '$here/compat/phplist-3.6.15/attachments';|" \
    -e "s|^define('PHPMAILERPORT', .*|define('PHPMAILERPORT', ${FACTEUR_TEST_SMTP_PORT:-2525});|" \
    compat/phplist-3.6.15/config-sample.php >"$php"

config=.services/facteur-sample.yaml
cat >"$config" <<YAML
# Written by scripts/setup.sh: the bundled sample database and the local smtp-sink.
phplist:
  config_php: phplist-sample-config.php
database:
  url: mysql://facteur:facteur@127.0.0.1:$port/phplist_sample
relays:
  - name: sink
    url: ${FACTEUR_TEST_SMTP_URL:-smtp://127.0.0.1:2525}
YAML

facteur=.build/debug/facteur
$facteur --config "$config" migrate
$facteur --config "$config" check
# The main job: send the queued campaign 2 to its 2,000 subscribers through the sink, writing every
# status back as PHPList's processqueue would.
$facteur --config "$config" send
echo
echo "Campaign sent. Look at it as PHPList's UI would:"
"${mysql[@]}" phplist_sample -e "SELECT id, status, processed, astextandhtml, sendstart, sent FROM phplist_message WHERE id = 2; SELECT status, COUNT(*) FROM phplist_usermessage GROUP BY status"
