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

. "$here/scripts/lib/bench-sink.sh"
. "$here/scripts/lib/bench-campaign.sh"
ensure_release_facteur
bench_database facteur_bench_send
start_bench_sink
write_bench_config "127.0.0.1:$PORT"

echo "load before: $(uptime | sed 's/.*load average: //')" >&2
rates=(); rss=(); sources=()
for run in $(seq "$RUNS"); do
  prepare_campaign "$COUNT"
  timed_send
  rates+=("$SEND_RATE"); rss+=("$SEND_RSS")
  s0=$(now)
  /usr/sbin/smtp-source -s 8 -m 20000 -l 11000 127.0.0.1:"$PORT" >/dev/null
  s1=$(now)
  sources+=("$(awk -v a="$s0" -v b="$s1" 'BEGIN {printf "%.0f", 20000 / (b - a)}')")
  echo "run $run: $SENT sent; facteur ${rates[-1]} msg/s, peak ${rss[-1]} MB; smtp-source ${sources[-1]} msg/s (ratio $(awk -v a="${rates[-1]}" -v b="${sources[-1]}" 'BEGIN {printf "%.2f", a / b}'); load $(uptime | sed 's/.*load average: //'))" >&2
done
fm=$(printf "%s\n" "${rates[@]}" | median)
sm=$(printf "%s\n" "${sources[@]}" | median)
echo "facteur send, $COUNT + 1,996 subscribers, $(nproc) cores: ${rates[*]} msg/s (median $fm), peak RSS ${rss[*]} MB"
echo "smtp-source -s 8 -m 20000 -l 11000: ${sources[*]} msg/s (median $sm)"
awk -v a="$fm" -v b="$sm" 'BEGIN {printf "ratio facteur / smtp-source: %.2f (target >= 0.5; facteur target >= 1500 msg/s, RSS < 150 MB)\n", a / b}'
echo "load after: $(uptime | sed 's/.*load average: //')"
