#!/usr/bin/env bash
# CI: production as docs/operations.md describes it, in small — gunicorn on PostgreSQL, keys
# generated, migrated, static files collected — serves the sign-in page and a static asset.
# Usage: scripts/serve_check.sh postgres://user@host:5432/anydb   (uses <anydb>_serve_check)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
BASE_URL="${1:?PostgreSQL URL}"
DB_URL="${BASE_URL%/*}/$(basename "${BASE_URL%%\?*}")_serve_check"
WORK=$(mktemp -d)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  "$BIN/python" - "$BASE_URL" "$DB_URL" <<'PY' || true
import sys, psycopg
with psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2].rsplit("/", 1)[1]}" WITH (FORCE)')
PY
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN/python" - "$BASE_URL" "$DB_URL" <<'PY'
import sys, psycopg
name = sys.argv[2].rsplit("/", 1)[1]
with psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    c.execute(f'CREATE DATABASE "{name}"')
    # A throwaway database: no fsync per migration's commit.
    c.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
PY
export DATABASE_URL="$DB_URL" BAOMI_VAR_DIR="$WORK/var"
unset BAOMI_DEBUG BAOMI_SECRET_KEY BAOMI_FILE_KEY
"$BIN/baomi" keys init >/dev/null
t0=$SECONDS; "$BIN/baomi" migrate --noinput -v0; echo "migrate $((SECONDS-t0))s"
t0=$SECONDS; "$BIN/baomi" collectstatic --noinput -v0; echo "static $((SECONDS-t0))s"
PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN/gunicorn" baomi.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --timeout 30 \
  --access-logfile - --error-logfile "$WORK/gunicorn.log" >"$WORK/access.log" &
PID=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login/" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/gunicorn.log" >&2; exit 1; }
  sleep 0.1
done
check() {  # check <path> <expected status> <header that must be present>
  local headers status
  headers=$(curl -sS -D - -o /dev/null "http://127.0.0.1:$PORT$1")
  status=$(head -1 <<<"$headers" | awk '{print $2}')
  [ "$status" = "$2" ] || { echo "GET $1 → $status (expected $2)" >&2; cat "$WORK/gunicorn.log" >&2; exit 1; }
  grep -qi "^$3:" <<<"$headers" || { echo "GET $1: no $3 header" >&2; exit 1; }
  echo "gunicorn: GET $1 → $status"
}
check /login/ 200 content-security-policy
check /static/baomi/app.css 200 x-content-type-options
