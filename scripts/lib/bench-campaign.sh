# Shared by the campaign benchmarks (sourced after bench-sink.sh, with `here`, FACTEUR and workdir set):
#   bench_database DB            sets DB and mysql (the test MariaDB); drops DB on exit
#   write_bench_config HOST:PORT…  workdir/facteur.yaml: one relay per sink (8 connections each) and
#                                workdir/config.php (the sample's envelope and attachments)
#   prepare_campaign COUNT       fresh DB: sample-queued.sql.gz + COUNT generated subscribers on list 3, migrated
#   timed_send                   runs `facteur send`; sets SENT, SEND_RATE (msg/s) and SEND_RSS (MB)

bench_database() {
  DB=$1
  eval "$("$here/scripts/services.sh" env)"
  MYSQL_PORT=${FACTEUR_TEST_MYSQL_URL##*:}
  mysql=(mysql -h127.0.0.1 -P"$MYSQL_PORT" -uroot)
  bench_cleanup() { "${mysql[@]}" -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null; }
}

write_bench_config() {
  cat >"$workdir/config.php" <<PHP
<?php
\$message_envelope = 'bounces@example.org';
\$attachment_repository = '$here/compat/phplist-3.6.15/attachments';
define('USE_MANUAL_TEXT_PART', 1);
PHP
  {
    echo "phplist:"
    echo "  config_php: config.php"
    echo "database:"
    echo "  url: mysql://root@127.0.0.1:$MYSQL_PORT/$DB"
    echo "relays:"
    local index=0 sink
    for sink in "$@"; do
      index=$((index + 1))
      echo "  - name: sink$index"
      echo "    url: smtp://$sink"
      echo "    max_connections: 8"
      echo "    messages_per_connection: 1000"
    done
  } >"$workdir/facteur.yaml"
}

prepare_campaign() {
  local count=$1
  "${mysql[@]}" -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
  zcat "$here/compat/phplist-3.6.15/sample-queued.sql.gz" | "${mysql[@]}" "$DB"
  # seq_1_to_N is MariaDB's Sequence engine: COUNT generated subscribers on list 3.
  "${mysql[@]}" "$DB" -e "
    INSERT INTO phplist_user_user (email, confirmed, blacklisted, htmlemail, entered, uniqid, uuid, disabled)
    SELECT CONCAT('bench', LPAD(seq, 7, '0'), '@example.com'), 1, 0, 1, NOW(), MD5(CONCAT('bench', seq)), UUID(), 0
    FROM seq_1_to_$count;
    INSERT INTO phplist_listuser (userid, listid, entered)
    SELECT id, 3, NOW() FROM phplist_user_user WHERE email LIKE 'bench%@example.com';"
  "$FACTEUR" --config "$workdir/facteur.yaml" migrate >/dev/null
}

timed_send() {
  local start end
  start=$(now)
  /usr/bin/time -f "%M" -o "$workdir/rss" "$FACTEUR" --config "$workdir/facteur.yaml" send >"$workdir/send.log"
  end=$(now)
  SENT=$("${mysql[@]}" -N "$DB" -e "SELECT COUNT(*) FROM phplist_usermessage WHERE messageid = 2 AND status = 'sent'")
  SEND_RATE=$(awk -v n="$SENT" -v a="$start" -v b="$end" 'BEGIN {printf "%.0f", n / (b - a)}')
  SEND_RSS=$(awk '{printf "%.0f", $1 / 1024}' "$workdir/rss")
}
