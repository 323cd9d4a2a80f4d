#!/usr/bin/env bash
# The management server as a background process on its embedded MariaDB (or the db.properties in its
# config dir). Config dir $RBDSTACK_STATE_DIR/server: server.properties is written from the variables
# below on every start; the pid file and the log (server.log) live there too.
#   RBDSTACK_HTTP_PORT (8080), RBDSTACK_HTTPS_PORT (8443), RBDSTACK_AGENT_PORT (8250)
# The root admin's first password is read from admin.password (mode 600) in the config dir, made
# here on the first start; the server uses it only when it creates the admin.
# usage: server.sh start|stop|status
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)

S="$RBDSTACK_STATE_DIR/server"
PIDFILE="$S/server.pid"
LOGFILE="$S/server.log"
PROPERTIES="$S/server.properties"
ADMIN_PASSWORD_FILE="$S/admin.password"
JAR="$here/../engine/server/target/rbdstack-server.jar"
HTTP_PORT=${RBDSTACK_HTTP_PORT:-8080}
HTTPS_PORT=${RBDSTACK_HTTPS_PORT:-8443}
AGENT_PORT=${RBDSTACK_AGENT_PORT:-8250}
API_URL="http://127.0.0.1:$HTTP_PORT/client/api"

# Any CloudStack answer (401 without credentials) means the API is serving.
api_answers() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$API_URL?command=listCapabilities&response=json") || return 1
  [[ $code == 200 || $code == 401 || $code == 432 ]]
}

start() {
  local t0
  t0=$(now_ms)
  mkdir -p "$S"
  if pid_alive "$PIDFILE"; then
    WATCH_PIDFILE=$PIDFILE wait_for "the API answering on $API_URL" 180 "$LOGFILE" api_answers
    log "management server already running (pid $(cat "$PIDFILE"), $API_URL)"
    return 0
  fi
  [[ -f $JAR ]] || die "no $JAR: build it first (mvn package -DskipTests, or scripts/run.sh)"
  ensure_secret_file "$ADMIN_PASSWORD_FILE"
  set_property "$PROPERTIES" embedded.db.dir "$S/db"
  set_property "$PROPERTIES" http.port "$HTTP_PORT"
  set_property "$PROPERTIES" https.port "$HTTPS_PORT"
  set_property "$PROPERTIES" agent.port "$AGENT_PORT"
  set_property "$PROPERTIES" admin.password.file "$ADMIN_PASSWORD_FILE"
  # Storage plugins are found in plugins/ beside the server jar.
  mkdir -p "$(dirname "$JAR")/plugins"
  cp "$here"/../plugins/*/target/rbdstack-storage-*.jar "$(dirname "$JAR")/plugins/"
  # setsid: the server outlives this shell; it stops on SIGTERM (server.sh stop), never by name.
  # shellcheck disable=SC2086 # options are words
  setsid java ${RBDSTACK_SERVER_JAVA_OPTS:-} -jar "$JAR" --config-dir "$S" >> "$LOGFILE" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  WATCH_PIDFILE=$PIDFILE wait_for "the API answering on $API_URL" 180 "$LOGFILE" api_answers
  set_property "$SERVICES_FILE" server.api.url "$API_URL"
  log "management server up (pid $(cat "$PIDFILE"), $API_URL, log $LOGFILE) in $(elapsed "$t0")"
}

stop() { stop_pidfile "management server" "$PIDFILE"; }

status() {
  if pid_alive "$PIDFILE" && api_answers; then
    echo "management server: running (pid $(cat "$PIDFILE"), $API_URL)"
  elif pid_alive "$PIDFILE"; then
    echo "management server: running (pid $(cat "$PIDFILE")) but $API_URL does not answer; see $LOGFILE"
    return 1
  else
    echo "management server: stopped"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
