#!/usr/bin/env bash
# End-to-end sending benchmark: `facteur send` on a generated campaign (the sample campaign, ~11 KB a
# message) to one smtp-sink, with every PHPList status write, against Postfix's smtp-source in the
# same script (a new connection per message, as the issue defines the reference).
#
#   scripts/bench-send.sh [SUBSCRIBERS]      (default 100000; RUNS=3 runs, medians reported)
#
# Each run loads sample-queued.sql.gz into a fresh database `facteur_bench_send`, adds SUBSCRIBERS
# confirmed subscribers to the sample's list 3, migrates, and times `facteur send` under
# /usr/bin/time (peak RSS). Then `smtp-source -s 8 -m 20000 -l 11000` to the same sink.
# Needs the test services (scripts/services.sh up). FACTEUR=path overrides the executable (default:
# the release build, built if missing).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COUNT=${1:-100000}
RUNS=${RUNS:-3}
FACTEUR=${FACTEUR:-$here/.build/release/facteur}
eval "$("$here/scripts/services.sh" env)"
MYSQL_PORT=${FACTEUR_TEST_MYSQL_URL##*:}
mysql=(mysql -h127.0.0.1 -P"$MYSQL_PORT" -uroot)
DB=facteur_bench_send

. "$here/scripts/lib/bench-sink.sh"
ensure_release_facteur
bench_cleanup() { "${mysql[@]}" -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null; }
start_bench_sink

cat >"$workdir/config.php" <<PHP
<?php
\$message_envelope = 'bounces@example.org';
\$attachment_repository = '$here/compat/phplist-3.6.15/attachments';
define('USE_MANUAL_TEXT_PART', 1);
PHP
cat >"$workdir/facteur.yaml" <<YAML
phplist:
  config_php: config.php
database:
  url: mysql://root@127.0.0.1:$MYSQL_PORT/$DB
relays:
  - name: sink
    url: smtp://127.0.0.1:$PORT
    max_connections: 8
    messages_per_connection: 1000
YAML

prepare() {
  "${mysql[@]}" -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
  zcat "$here/compat/phplist-3.6.15/sample-queued.sql.gz" | "${mysql[@]}" "$DB"
  # seq_1_to_N is MariaDB's Sequence engine: COUNT generated subscribers on list 3.
  "${mysql[@]}" "$DB" -e "
    INSERT INTO phplist_user_user (email, confirmed, blacklisted, htmlemail, entered, uniqid, uuid, disabled)
    SELECT CONCAT('bench', LPAD(seq, 7, '0'), '@example.com'), 1, 0, 1, NOW(), MD5(CONCAT('bench', seq)), UUID(), 0
    FROM seq_1_to_$COUNT;
    INSERT INTO phplist_listuser (userid, listid, entered)
    SELECT id, 3, NOW() FROM phplist_user_user WHERE email LIKE 'bench%@example.com';"
  "$FACTEUR" --config "$workdir/facteur.yaml" migrate >/dev/null
}


rates=(); rss=(); sources=()
for run in $(seq "$RUNS"); do
  prepare
  start=$(now)
  /usr/bin/time -f "%M" -o "$workdir/rss" "$FACTEUR" --config "$workdir/facteur.yaml" send >"$workdir/send.log"
  end=$(now)
  sent=$("${mysql[@]}" -N "$DB" -e "SELECT COUNT(*) FROM phplist_usermessage WHERE messageid = 2 AND status = 'sent'")
  rates+=("$(awk -v n="$sent" -v a="$start" -v b="$end" 'BEGIN {printf "%.0f", n / (b - a)}')")
  rss+=("$(awk '{printf "%.0f", $1 / 1024}' "$workdir/rss")")
  s0=$(now)
  /usr/sbin/smtp-source -s 8 -m 20000 -l 11000 127.0.0.1:"$PORT" >/dev/null
  s1=$(now)
  sources+=("$(awk -v a="$s0" -v b="$s1" 'BEGIN {printf "%.0f", 20000 / (b - a)}')")
  echo "run $run: $sent sent; facteur ${rates[-1]} msg/s, peak ${rss[-1]} MB; smtp-source ${sources[-1]} msg/s" >&2
done
fm=$(printf "%s\n" "${rates[@]}" | median)
sm=$(printf "%s\n" "${sources[@]}" | median)
echo "facteur send, $COUNT + 1,996 subscribers, $(nproc) cores: ${rates[*]} msg/s (median $fm), peak RSS ${rss[*]} MB"
echo "smtp-source -s 8 -m 20000 -l 11000: ${sources[*]} msg/s (median $sm)"
awk -v a="$fm" -v b="$sm" 'BEGIN {printf "ratio facteur / smtp-source: %.2f (target >= 0.5; facteur target >= 1500 msg/s, RSS < 150 MB)\n", a / b}'
