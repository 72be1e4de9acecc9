#!/usr/bin/env bash
# `facteur import phplist` on a generated old PHPList database: rows per second and peak memory.
#
#   scripts/bench-import.sh [SUBSCRIBERS]          (default 1000000)
#
# Builds a 2.11-layout source (compat/old-2.11/schema.sql: MyISAM/latin1) on the test server with
# SUBSCRIBERS subscribers, two text attributes each (every 10th value latin1 "Müller", every 10th
# UTF-8 bytes "Zoë"), one list membership each and one campaign with a usermessage row each; a fresh
# 3.6.15 target (schema + Facteur's migrations); then times the import with /usr/bin/time -v.
# FACTEUR=path overrides the executable (default: the release build, built if missing).
# FACTEUR_TEST_MYSQL_URL (default mysql://root@127.0.0.1:13306) names the server. Both databases
# are dropped at the end (KEEP=1 keeps them).
# Measured 2026-11-29 (2 cores, release build, server shared with other jobs' builds and tests):
#   1,000,000 subscribers in 196.9 s = 5,077 subscribers/s = 25,387 source rows/s, peak RSS 92 MB;
#   100,000 in 20.2 s (4,950/s), peak RSS 50 MB.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-1000000}
FACTEUR=${FACTEUR:-$here/.build/release/facteur}
URL=${FACTEUR_TEST_MYSQL_URL:-mysql://root@127.0.0.1:13306}
hostport=${URL#mysql://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
HOST=${hostport%%:*}; PORT=${hostport##*:}
SRC=facteur_bench_src_$$
DST=facteur_bench_dst_$$
sql() { mariadb --protocol=tcp -h "$HOST" -P "$PORT" -uroot --default-character-set=utf8mb4 "$@"; }

if [ ! -x "$FACTEUR" ]; then
  echo "building release facteur (several minutes)…" >&2
  (cd "$here" && swift build -c release --product facteur >&2)
fi

cleanup() {
  if [ -z "${KEEP:-}" ]; then sql -e "DROP DATABASE IF EXISTS $SRC; DROP DATABASE IF EXISTS $DST"; fi
  rm -f "${config:-}"
}
trap cleanup EXIT

echo "generating $N subscribers in $SRC…" >&2
start=$(date +%s)
sql -e "CREATE DATABASE $SRC CHARACTER SET latin1; CREATE DATABASE $DST CHARACTER SET utf8mb4"
sed '/^\/\*M!999999/d' "$here/compat/old-2.11/schema.sql" | sql "$SRC"
# Raw bytes over a binary-safe path: latin1 "Müller" (4D FC …) and UTF-8 "Zoë" (5A 6F C3 AB) side by side.
sql "$SRC" <<SQL
SET NAMES latin1;
INSERT INTO phplist_config (item, value) VALUES ('version', '2.11.6');
INSERT INTO phplist_list (id, name, entered, active) VALUES (1, 'newsletter', NOW(), 1);
INSERT INTO phplist_user_attribute (id, name, type, listorder, required) VALUES (1, 'firstname', 'textline', 1, 1), (2, 'lastname', 'textline', 2, 0);
INSERT INTO phplist_message (id, subject, message, entered, status, sent, processed) VALUES (1, 'Bench', 'Hello', NOW(), 'sent', NOW(), $N);
INSERT INTO phplist_listmessage (messageid, listid, entered) VALUES (1, 1, NOW());
INSERT INTO phplist_user_user (id, email, confirmed, entered, uniqid, htmlemail)
  SELECT seq, CONCAT('bench', seq, '@example.com'), 1, NOW(), MD5(seq), 1 FROM mysql.seq_1_to_$N;
INSERT INTO phplist_user_user_attribute (attributeid, userid, value)
  SELECT 1, seq, CASE WHEN seq % 10 = 1 THEN UNHEX('5A6FC3AB') ELSE CONCAT('First', seq) END FROM mysql.seq_1_to_$N;
INSERT INTO phplist_user_user_attribute (attributeid, userid, value)
  SELECT 2, seq, CASE WHEN seq % 10 = 2 THEN UNHEX('4DFC6C6C6572') ELSE CONCAT('Last', seq) END FROM mysql.seq_1_to_$N;
INSERT INTO phplist_listuser (userid, listid, entered) SELECT seq, 1, NOW() FROM mysql.seq_1_to_$N;
INSERT INTO phplist_usermessage (messageid, userid, entered, status) SELECT 1, seq, NOW(), 'sent' FROM mysql.seq_1_to_$N;
SQL
sed '/^\/\*M!999999/d' "$here/compat/phplist-3.6.15/schema-3.6.15.sql" | sql "$DST"
config=$(mktemp --suffix=.yaml)
printf 'database:\n  url: %s/%s\n' "$URL" "$DST" > "$config"
"$FACTEUR" --config "$config" migrate --migrations "$here/migrations" >/dev/null
echo "generated in $(( $(date +%s) - start )) s; importing…" >&2

timing=$(mktemp)
/usr/bin/time -v "$FACTEUR" --config "$config" import phplist --from "$URL/$SRC" 2> "$timing" | tee /dev/stderr >/dev/null
elapsed=$(grep 'Elapsed (wall clock)' "$timing" | awk '{print $NF}')
rss=$(grep 'Maximum resident set size' "$timing" | awk '{print $NF}')
seconds=$(echo "$elapsed" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
rows=$(( N * 5 ))
rm -f "$timing"
imported=$(sql -N "$DST" -e "SELECT COUNT(*) FROM phplist_user_user")
printf 'subscribers: %d imported in %.1f s = %.0f subscribers/s; %d source rows (user, 2 attributes, membership, usermessage) = %.0f rows/s; peak RSS %d MB\n' \
  "$imported" "$seconds" "$(echo "$N / $seconds" | bc -l)" "$rows" "$(echo "$rows / $seconds" | bc -l)" "$(( rss / 1024 ))"
