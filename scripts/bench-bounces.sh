#!/usr/bin/env bash
# End-to-end bounce benchmark: `facteur bounces bench` (parse, classify and write N distinct bounces made
# from the PHPList sample mbox, then the rules/threshold pass) into a fresh scratch database.
#
#   scripts/bench-bounces.sh [COPIES]      (default 20000; RUNS=3 runs, median reported)
#
# Each run loads sample-sent.sql.gz into `facteur_bench_bounces`, migrates, and runs the bench.
# Extra arguments for the bench go in BENCH_ARGS (e.g. BENCH_ARGS="--concurrency 4").
# Needs the test services (scripts/services.sh up). FACTEUR=path overrides the executable (default:
# the release build, built if missing).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COUNT=${1:-20000}
RUNS=${RUNS:-3}
FACTEUR=${FACTEUR:-$here/.build/release/facteur}
eval "$("$here/scripts/services.sh" env)"
MYSQL_PORT=${FACTEUR_TEST_MYSQL_URL##*:}
mysql=(mysql -h127.0.0.1 -P"$MYSQL_PORT" -uroot)
DB=facteur_bench_bounces

. "$here/scripts/lib/bench-sink.sh"
ensure_release_facteur
workdir=$(mktemp -d)
trap '"${mysql[@]}" -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null || true; rm -rf "$workdir"' EXIT

cat >"$workdir/facteur.yaml" <<YAML
database:
  url: mysql://root@127.0.0.1:$MYSQL_PORT/$DB
YAML

rates=()
for run in $(seq "$RUNS"); do
  "${mysql[@]}" -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
  zcat "$here/compat/phplist-3.6.15/sample-sent.sql.gz" | "${mysql[@]}" "$DB"
  "$FACTEUR" --config "$workdir/facteur.yaml" migrate >/dev/null
  (cd "$here" && "$FACTEUR" --config "$workdir/facteur.yaml" --log-level warning bounces bench --copies "$COUNT" \
     --scratch-database ${BENCH_ARGS:-}) | tee "$workdir/bench.log" >&2
  rate=$(sed -n 's/^parse+classify+write: .*(\([0-9]*\) bounces\/s).*/\1/p' "$workdir/bench.log")
  rates+=("$rate")
  echo "run $run: $rate bounces/s" >&2
done
echo "facteur bounces bench, $COUNT bounces, $(nproc) cores: ${rates[*]} bounces/s (median $(printf "%s\n" "${rates[@]}" | median); target >= 2000)"
