# Shared by the benchmark scripts (sourced): the release facteur, and smtp-sinks of their own.
#   ensure_release_facteur       builds .build/release/facteur when $FACTEUR is missing
#   start_bench_sink             sets PORT, workdir and sink_pid (a sink on 127.0.0.1); stops every sink
#                                and removes workdir on exit
#   start_sink HOST              one more sink on loopback address HOST (127.x.y.z); sets SINK_PORT
# Extra clean-up for the EXIT trap goes in the function `bench_cleanup` (optional).

sink_pids=()

ensure_release_facteur() {
  if [ ! -x "$FACTEUR" ]; then
    echo "building release facteur (several minutes)…" >&2
    (cd "$here" && swift build -c release --product facteur >&2)
  fi
}

free_port() { # [HOST]
  local port host=${1:-127.0.0.1}
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 40000))
    # smtp-sink binds with SO_REUSEPORT: pick a port no one listens on (any address), or two sinks would share it.
    if ! ss -ltnH "sport = :$port" | grep -q .; then echo "$port"; return; fi
  done
  echo "no free port on $host" >&2; exit 1
}

start_sink() { # HOST → SINK_PORT
  local host=$1
  case $host in 127.*) ;; *) echo "benchmark sinks listen on loopback addresses only, not $host" >&2; exit 1 ;; esac
  SINK_PORT=$(free_port "$host")
  local sink_user=()
  [ "$(id -u)" -eq 0 ] && sink_user=(-u nobody)
  /usr/sbin/smtp-sink "${sink_user[@]}" "$host:$SINK_PORT" 1024 &
  sink_pids+=($!)
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/$host/$SINK_PORT") 2>/dev/null && return; sleep 0.1; done
  echo "smtp-sink on $host:$SINK_PORT did not start" >&2; exit 1
}

stop_sinks() {
  local pid
  for pid in "${sink_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${sink_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  sink_pids=()
}

start_bench_sink() {
  workdir=$(mktemp -d)
  # (|| true: under set -e a failing step would end the trap early, skipping the rest.)
  trap 'stop_sinks; rm -rf "$workdir"
        if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi' EXIT
  start_sink 127.0.0.1
  PORT=$SINK_PORT
  sink_pid=${sink_pids[-1]}
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }
