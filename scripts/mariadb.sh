#!/usr/bin/env bash
# MariaDB on 127.0.0.1 with MySQL 5.7's full default sql_mode, its own datadir under the state dir.
# usage: mariadb.sh start|stop|status
source "$(dirname "$0")/common.sh"

DB_DIR="$RBDSTACK_STATE_DIR/mariadb"
CNF="$DB_DIR/my.cnf"
PIDFILE="$DB_DIR/mariadbd.pid"
LOGFILE="$DB_DIR/mariadbd.log"
SOCKET="$DB_DIR/mariadbd.sock"
ROOT_CNF="$DB_DIR/root-client.cnf"     # root's client password, mode 600; never on a command line
PASSWORD_FILE="$DB_DIR/cloud.password" # the server user's password, mode 600
DB_PORT=${RBDSTACK_DB_PORT:-3306}
DB_NAME=${RBDSTACK_DB_NAME:-cloud}
DB_USER=${RBDSTACK_DB_USER:-cloud}
SQL_MODE=ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION

write_cnf() {
  cat > "$CNF" <<CNF
[mysqld]
user=root
datadir=$DB_DIR/data
socket=$SOCKET
pid-file=$PIDFILE
log-error=$LOGFILE
port=$DB_PORT
bind-address=127.0.0.1
skip-name-resolve
# MySQL 5.7's defaults, which rbdstack must run under unchanged.
sql_mode=$SQL_MODE
explicit_defaults_for_timestamp=0
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
innodb_buffer_pool_size=128M
max_connections=300
CNF
}

client() { mariadb --defaults-file="$ROOT_CNF" "$@"; }

ping_db() { mariadb-admin --defaults-file="$ROOT_CNF" ping; }

start() {
  local t0
  t0=$(now_ms)
  mkdir -p "$DB_DIR"
  if pid_alive "$PIDFILE"; then
    log "mariadb already running (pid $(cat "$PIDFILE"), port $DB_PORT)"
    return 0
  fi
  write_cnf
  ensure_secret_file "$DB_DIR/root.password"
  ensure_secret_file "$PASSWORD_FILE"
  umask 077
  printf '[client]\nuser=root\npassword=%s\nsocket=%s\n' "$(cat "$DB_DIR/root.password")" "$SOCKET" > "$ROOT_CNF"

  local fresh=0
  if [[ ! -d $DB_DIR/data/mysql ]]; then
    fresh=1
    rm -rf "$DB_DIR/data"
    mariadb-install-db --defaults-file="$CNF" --auth-root-authentication-method=normal \
      --skip-test-db > "$DB_DIR/install-db.log" 2>&1 \
      || die_with_log "mariadb-install-db failed" "$DB_DIR/install-db.log"
  fi
  : > "$LOGFILE"
  setsid mariadbd --defaults-file="$CNF" </dev/null >>"$LOGFILE" 2>&1 &
  if (( fresh )); then
    # Fresh datadir: root has no password yet, so connect once over the socket without one.
    wait_for "mariadb answering on $SOCKET" 30 "$LOGFILE" mariadb-admin --no-defaults --user=root --socket="$SOCKET" ping
    mariadb --no-defaults --user=root --socket="$SOCKET" <<SQL
ALTER USER 'root'@'localhost' IDENTIFIED BY '$(cat "$DB_DIR/root.password")';
SQL
  fi
  wait_for "mariadb answering on $SOCKET" 30 "$LOGFILE" ping_db
  local pw
  pw=$(cat "$PASSWORD_FILE")
  # Passwords travel on stdin, never in argv.
  client <<SQL
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\`;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO '$DB_USER'@'127.0.0.1', '$DB_USER'@'localhost';
-- Integration tests create throw-away schemas named ${DB_NAME}_test_*.
GRANT ALL PRIVILEGES ON \`${DB_NAME}\\_test\\_%\`.* TO '$DB_USER'@'127.0.0.1', '$DB_USER'@'localhost';
SQL
  write_properties
  log "mariadb $(client -N -e 'SELECT VERSION()') up on 127.0.0.1:$DB_PORT (pid $(cat "$PIDFILE"), db '$DB_NAME', user '$DB_USER') in $(elapsed "$t0")"
}

write_properties() {
  set_property "$SERVICES_FILE" db.host 127.0.0.1
  set_property "$SERVICES_FILE" db.port "$DB_PORT"
  set_property "$SERVICES_FILE" db.name "$DB_NAME"
  set_property "$SERVICES_FILE" db.username "$DB_USER"
  set_property "$SERVICES_FILE" db.password.file "$PASSWORD_FILE"
  set_property "$SERVICES_FILE" db.socket "$SOCKET"
  # A CloudStack-style db.properties for the management server (mode 600).
  umask 077
  cat > "$RBDSTACK_STATE_DIR/db.properties" <<PROPS
db.cloud.host=127.0.0.1
db.cloud.port=$DB_PORT
db.cloud.name=$DB_NAME
db.cloud.username=$DB_USER
db.cloud.password=$(cat "$PASSWORD_FILE")
db.cloud.url.params=serverTimezone=UTC
db.cloud.maxActive=50
db.cloud.maxWait=10000
PROPS
}

stop() { stop_pidfile mariadb "$PIDFILE"; }

status() {
  if pid_alive "$PIDFILE" && ping_db >/dev/null 2>&1; then
    echo "mariadb: running (pid $(cat "$PIDFILE"), 127.0.0.1:$DB_PORT, sql_mode=$(client -N -e 'SELECT @@GLOBAL.sql_mode'))"
  else
    echo "mariadb: stopped"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
