#!/usr/bin/env bash
# Issue 6's benchmark: end-to-end campaign throughput through 1, 2 and 4 relays, one smtp-sink each on
# 127.0.0.2 … 127.0.0.5 (loopback only), each relay with 8 connections; the same generated campaign as
# bench-send.sh (the sample campaign, ~11 KB a message, with every PHPList status write).
#
#   scripts/bench-relays.sh [SUBSCRIBERS]     (default 50000; RUNS=3 runs per setup, medians reported)
#
# Setups run interleaved (1, 2, 4, 1, 2, 4 …) so a change in the machine's load hits each alike.
# Needs the test services (scripts/services.sh up). FACTEUR=path overrides the executable.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COUNT=${1:-50000}
RUNS=${RUNS:-3}
FACTEUR=${FACTEUR:-$here/.build/release/facteur}

. "$here/scripts/lib/bench-sink.sh"
. "$here/scripts/lib/bench-campaign.sh"
ensure_release_facteur
bench_database facteur_bench_relays
start_bench_sink # workdir and the exit trap; this sink on 127.0.0.1 stays unused
sinks=()
for host in 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5; do
  start_sink "$host"
  sinks+=("$host:$SINK_PORT")
done

declare -A rates rss
echo "load before: $(uptime | sed 's/.*load average: //')" >&2
for run in $(seq "$RUNS"); do
  for relays in 1 2 4; do
    write_bench_config "${sinks[@]:0:relays}"
    prepare_campaign "$COUNT"
    timed_send
    rates[$relays]+="$SEND_RATE "; rss[$relays]+="$SEND_RSS "
    echo "run $run, $relays relay(s): $SENT sent, $SEND_RATE msg/s, peak $SEND_RSS MB (load $(uptime | sed 's/.*load average: //'))" >&2
  done
done
echo "facteur send, $COUNT + 1,996 subscribers, $(nproc) cores, 8 connections per relay:"
for relays in 1 2 4; do
  m=$(printf "%s\n" ${rates[$relays]} | median)
  echo "  $relays relay(s): ${rates[$relays]}msg/s (median $m), peak RSS ${rss[$relays]}MB"
done
echo "load after: $(uptime | sed 's/.*load average: //')"
