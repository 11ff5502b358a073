#!/usr/bin/env bash
# Web server, Celery worker and beat together in the foreground; Ctrl-C stops all of them.
set -u
cd "$(dirname "$0")/.."
VENV=.venv
trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT
mkdir -p var/broker/out var/broker/processed
$VENV/bin/celery -A marketplace worker --loglevel=INFO --concurrency=2 &
$VENV/bin/celery -A marketplace beat --loglevel=INFO &
$VENV/bin/python manage.py runserver "${BIND:-127.0.0.1:8000}" &
wait -n
