# Shared by the benchmark scripts (sourced): the release facteur, and an smtp-sink of their own.
#   ensure_release_facteur       builds .build/release/facteur when $FACTEUR is missing
#   start_bench_sink             sets PORT, workdir and sink_pid; stops the sink and removes workdir on exit
# Extra clean-up for the EXIT trap goes in the function `bench_cleanup` (optional).

ensure_release_facteur() {
  if [ ! -x "$FACTEUR" ]; then
    echo "building release facteur (several minutes)…" >&2
    (cd "$here" && swift build -c release --product facteur >&2)
  fi
}

free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 40000))
    # smtp-sink binds with SO_REUSEPORT: pick a port no one listens on, or two sinks would share it.
    if ! ss -ltnH "sport = :$port" | grep -q .; then echo "$port"; return; fi
  done
  echo "no free port" >&2; exit 1
}

start_bench_sink() {
  PORT=$(free_port)
  workdir=$(mktemp -d)
  local sink_user=()
  [ "$(id -u)" -eq 0 ] && sink_user=(-u nobody)
  /usr/sbin/smtp-sink "${sink_user[@]}" 127.0.0.1:"$PORT" 1024 &
  sink_pid=$!
  # (|| true: under set -e a failing step would end the trap early, skipping the rest.)
  trap 'kill "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; rm -rf "$workdir"
        if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi' EXIT
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }
