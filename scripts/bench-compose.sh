#!/usr/bin/env bash
# Composition benchmark (no I/O in the measured loop): the sample campaign rendered for its 1,996
# pending subscribers over and over on one thread, with a heap-allocation counter preloaded
# (scripts/lib/alloc-counter.c). Reports, as medians of RUNS runs (default 3): personalised messages
# per CPU-second of the rendering thread (the per-core figure; target >= 20,000) and bytes allocated
# per message.
#
#   scripts/bench-compose.sh [SECONDS]        (default 5 s per run)
#
# Needs the test MariaDB (scripts/services.sh up) and gcc. FACTEUR=path overrides the executable.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_RUN=${1:-5}
RUNS=${RUNS:-3}
FACTEUR=${FACTEUR:-$here/.build/release/facteur}
eval "$("$here/scripts/services.sh" env)"
MYSQL_PORT=${FACTEUR_TEST_MYSQL_URL##*:}
mysql=(mysql -h127.0.0.1 -P"$MYSQL_PORT" -uroot)
DB=facteur_bench_compose

. "$here/scripts/lib/bench-sink.sh"
ensure_release_facteur
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"; "${mysql[@]}" -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null || true' EXIT
gcc -O2 -shared -fPIC -o "$workdir/alloc-counter.so" "$here/scripts/lib/alloc-counter.c"

"${mysql[@]}" -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
zcat "$here/compat/phplist-3.6.15/sample-queued.sql.gz" | "${mysql[@]}" "$DB"
cat >"$workdir/config.php" <<PHP
<?php
\$message_envelope = 'bounces@example.org';
\$attachment_repository = '$here/compat/phplist-3.6.15/attachments';
define('USE_MANUAL_TEXT_PART', 1);
PHP
# The relay is never contacted: composition only.
cat >"$workdir/facteur.yaml" <<YAML
phplist:
  config_php: config.php
database:
  url: mysql://root@127.0.0.1:$MYSQL_PORT/$DB
relays:
  - name: unused
    url: smtp://127.0.0.1:25
YAML
"$FACTEUR" --config "$workdir/facteur.yaml" migrate >/dev/null

rates=(); allocated=(); counts=()
for run in $(seq "$RUNS"); do
  line=$(LD_PRELOAD="$workdir/alloc-counter.so" "$FACTEUR" --config "$workdir/facteur.yaml" \
           bench compose --campaign 2 --seconds "$SECONDS_PER_RUN")
  echo "run $run: $line" >&2
  rates+=("$(sed -E 's/.* ([0-9]+) msg per CPU-second.*/\1/' <<<"$line")")
  allocated+=("$(sed -E 's/.*allocated ([0-9]+) B\/msg.*/\1/' <<<"$line")")
  counts+=("$(sed -E 's/.*in ([0-9.]+) allocations\/msg.*/\1/' <<<"$line")")
done
echo "facteur bench compose (sample campaign 2, $SECONDS_PER_RUN s, release): ${rates[*]} msg per CPU-second (median $(printf "%s\n" "${rates[@]}" | median); target >= 20000)"
echo "bytes allocated per message: ${allocated[*]} (median $(printf "%s\n" "${allocated[@]}" | median)); allocations per message: ${counts[*]} (median $(printf "%s\n" "${counts[@]}" | median))"
