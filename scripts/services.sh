#!/usr/bin/env bash
# Facteur's real test services: installs what is missing (Debian packages) and runs the shared,
# long-lived servers on high loopback ports, each with its state under $FACTEUR_SERVICES_DIR.
#
#   scripts/services.sh up       install if needed, start what is not running (idempotent)
#   scripts/services.sh down     stop what this script started (by pid file, never by name)
#   scripts/services.sh status   one line per service
#   scripts/services.sh env      print the environment the tests read (eval "$(scripts/services.sh env)")
#
# Servers a single test needs in a special state (a faulty sink, TLS, a MariaDB it restarts) are
# started by that test through the FacteurTesting helpers, on ports of their own.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${FACTEUR_SERVICES_DIR:-$here/.services}
MYSQL_PORT=${FACTEUR_TEST_MYSQL_PORT:-13306}
SMTP_PORT=${FACTEUR_TEST_SMTP_PORT:-2525}
IMAP_PORT=${FACTEUR_TEST_IMAP_PORT:-10143}
POP3_PORT=${FACTEUR_TEST_POP3_PORT:-10110}
PACKAGES=(mariadb-server mariadb-client libmariadb-dev pkg-config postfix dovecot-imapd dovecot-pop3d
          python3-aiosmtpd python3-dkim openssl systemd prometheus chromium)

log() { echo "services: $*" >&2; }

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    log "not root: install these packages first: ${missing[*]}"; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # No package may start its system daemon (prometheus is here for promtool only; MariaDB, Postfix and
  # Dovecot run as the project's own servers below): invoke-rc.d and deb-systemd-invoke ask policy-rc.d,
  # and exit status 101 means "not allowed". An existing policy is left as it is.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && own_policy=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { ((own_policy)) && rm -f "$policy"; exit 1; }
  ((own_policy)) && rm -f "$policy"
  # On a host booted with systemd the unit would still be enabled for the next boot.
  if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for_port() { # host port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

mariadb_up() {
  local d=$DIR/mariadb
  if alive "$d/mysqld.pid"; then return 0; fi
  mkdir -p "$d"
  chown mysql:mysql "$d"
  if [ ! -d "$d/data/mysql" ]; then
    mariadb-install-db --user=mysql --datadir="$d/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$d/install.log" 2>&1 || { cat "$d/install.log" >&2; exit 1; }
  fi
  # Not --daemonize: the pid file is the only handle we keep, and `down` uses it.
  setsid mariadbd --no-defaults --user=mysql --datadir="$d/data" --socket="$d/mysqld.sock" \
    --pid-file="$d/mysqld.pid" --port="$MYSQL_PORT" --bind-address=127.0.0.1 \
    --log-error="$d/error.log" --max-connections=500 --innodb-buffer-pool-size=256M \
    --innodb-flush-log-at-trx-commit=2 --skip-name-resolve </dev/null >/dev/null 2>&1 &
  wait_for_port 127.0.0.1 "$MYSQL_PORT" 30 || { log "MariaDB did not start"; tail "$d/error.log" >&2; exit 1; }
  mariadb --protocol=tcp -h127.0.0.1 -P"$MYSQL_PORT" -uroot -e \
    "CREATE USER IF NOT EXISTS 'facteur'@'%' IDENTIFIED BY 'facteur'; GRANT ALL ON *.* TO 'facteur'@'%' WITH GRANT OPTION;" \
    2>/dev/null || true
}

smtp_sink_up() {
  local d=$DIR/smtp-sink
  if alive "$d/smtp-sink.pid"; then return 0; fi
  mkdir -p "$d"
  setsid /usr/sbin/smtp-sink -u nobody -c 127.0.0.1:"$SMTP_PORT" 256 </dev/null >"$d/smtp-sink.log" 2>&1 &
  echo $! >"$d/smtp-sink.pid"
  wait_for_port 127.0.0.1 "$SMTP_PORT" 10 || { log "smtp-sink did not start"; exit 1; }
}

dovecot_up() {
  local d=$DIR/dovecot
  if alive "$d/run/master.pid"; then return 0; fi
  mkdir -p "$d/run" "$d/mail"
  chown mail:mail "$d/mail"
  printf 'bounces:{PLAIN}secret\n' >"$d/passwd"
  cat >"$d/dovecot.conf" <<EOF
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
listen = 127.0.0.1
protocols = imap pop3
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 8
mail_location = maildir:~/Maildir
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = $d/passwd
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$d/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $POP3_PORT
  }
  inet_listener pop3s {
    port = 0
  }
}
EOF
  dovecot -c "$d/dovecot.conf" </dev/null >/dev/null 2>&1
  wait_for_port 127.0.0.1 "$IMAP_PORT" 10 || { log "Dovecot did not start"; tail "$d/dovecot.log" >&2; exit 1; }
}

print_env() {
  cat <<EOF
export FACTEUR_TEST_MYSQL_URL=mysql://root@127.0.0.1:$MYSQL_PORT
export FACTEUR_TEST_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
export FACTEUR_TEST_IMAP_URL=imap://bounces:secret@127.0.0.1:$IMAP_PORT/INBOX
export FACTEUR_TEST_POP3_URL=pop3://bounces:secret@127.0.0.1:$POP3_PORT
export FACTEUR_TEST_DOVECOT_CONF=$DIR/dovecot/dovecot.conf
export FACTEUR_TEST_DOVECOT_MAIL=$DIR/dovecot/mail
EOF
}

status_line() { # name pidfile port
  if alive "$2"; then echo "$1: running (pid $(cat "$2"), 127.0.0.1:$3)"; else echo "$1: stopped"; fi
}

down_one() { # name pidfile
  if alive "$2"; then
    local pid; pid=$(cat "$2")
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "$1 stopped"
  fi
  rm -f "$2"
}

case "${1:-up}" in
  up)
    install_packages
    mkdir -p "$DIR"
    mariadb_up
    smtp_sink_up
    dovecot_up
    status_line mariadb "$DIR/mariadb/mysqld.pid" "$MYSQL_PORT" >&2
    status_line smtp-sink "$DIR/smtp-sink/smtp-sink.pid" "$SMTP_PORT" >&2
    status_line dovecot "$DIR/dovecot/run/master.pid" "$IMAP_PORT/$POP3_PORT" >&2
    ;;
  down)
    down_one dovecot "$DIR/dovecot/run/master.pid"
    down_one smtp-sink "$DIR/smtp-sink/smtp-sink.pid"
    down_one mariadb "$DIR/mariadb/mysqld.pid"
    ;;
  status)
    status_line mariadb "$DIR/mariadb/mysqld.pid" "$MYSQL_PORT"
    status_line smtp-sink "$DIR/smtp-sink/smtp-sink.pid" "$SMTP_PORT"
    status_line dovecot "$DIR/dovecot/run/master.pid" "$IMAP_PORT/$POP3_PORT"
    ;;
  env) print_env ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
