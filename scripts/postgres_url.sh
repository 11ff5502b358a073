#!/usr/bin/env bash
# Print a PostgreSQL URL for the test suite: TEST_DATABASE_URL, or the local server on
# 127.0.0.1:5432 (started if it is installed but down). Exit 1 when none can be had.
set -u
if [ -n "${TEST_DATABASE_URL:-}" ]; then echo "$TEST_DATABASE_URL"; exit 0; fi
url="postgres://postgres@127.0.0.1:5432/postgres"
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || \
  python3 -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; }
if ! ready; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for version in $(ls /etc/postgresql); do
      echo "Starting the local PostgreSQL $version cluster…" >&2
      pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
    done
    for _ in $(seq 1 30); do ready && break; sleep 1; done
  fi
fi
ready || exit 1
echo "$url"
