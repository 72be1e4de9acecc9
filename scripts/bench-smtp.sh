#!/usr/bin/env bash
# Facteur's SMTP client against Postfix's smtp-source, same smtp-sink, same script.
#
#   scripts/bench-smtp.sh [MESSAGES] [SIZE]        (defaults 20000 messages of 2000 bytes)
#
# Starts its own smtp-sink on a free 127.0.0.1 port, then for C in 1 and 16 runs 3 times each
#   facteur bench smtp --relay smtp://127.0.0.1:PORT --messages N --connections C --size SIZE
#   smtp-source -s C -m N -l SIZE -d 127.0.0.1:PORT      (-d: reuse connections, like Facteur)
# and prints the medians in messages/s and the ratio facteur / smtp-source (target ≥ 0.9).
# FACTEUR=path overrides the executable (default: release build, built if missing); it must take
# `bench smtp …` (until `facteur bench` is wired, any executable registering BenchSMTPCommand under
# a `bench` command works). THREADS is passed as --threads (event loop threads, 0 = one per core).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-20000}
SIZE=${2:-2000}
RUNS=${RUNS:-3}
FACTEUR=${FACTEUR:-$here/.build/release/facteur}
SOURCE=/usr/sbin/smtp-source

. "$here/scripts/lib/bench-sink.sh"
ensure_release_facteur
start_bench_sink


run_facteur() { # C → messages/s
  "$FACTEUR" bench smtp --relay "smtp://127.0.0.1:$PORT" --messages "$N" --connections "$1" --size "$SIZE" ${THREADS:+--threads "$THREADS"} \
    | tee -a "$workdir/facteur.log" | awk '/^messages_per_second/ {print $2}'
}

run_source() { # C → messages/s
  local start end
  start=$(now)
  "$SOURCE" -s "$1" -m "$N" -l "$SIZE" -d 127.0.0.1:"$PORT" >/dev/null
  end=$(now)
  echo "$N $start $end" | awk '{printf "%.1f\n", $1 / ($3 - $2)}'
}

echo "smtp-sink on 127.0.0.1:$PORT; $N messages of $SIZE bytes; $RUNS runs each; $(nproc) cores"
printf "%-4s %-38s %-38s %s\n" C "facteur runs (median)" "smtp-source runs (median)" "ratio"
for C in 1 16; do
  f=(); s=()
  for _ in $(seq "$RUNS"); do
    f+=("$(run_facteur "$C")")
    s+=("$(run_source "$C")")
  done
  fm=$(printf "%s\n" "${f[@]}" | median)
  sm=$(printf "%s\n" "${s[@]}" | median)
  ratio=$(awk -v a="$fm" -v b="$sm" 'BEGIN {printf "%.2f", a / b}')
  printf "%-4s %-38s %-38s %s\n" "$C" "${f[*]} ($fm)" "${s[*]} ($sm)" "$ratio"
done
grep -h "peak RSS" "$workdir/facteur.log" | awk '{for (i=1;i<=NF;i++) if ($i=="RSS") print $(i+1)}' \
  | sort -n | awk 'NR==1 {min=$1} {max=$1} END {print "facteur peak RSS across runs: " min "-" max " KiB"}'
