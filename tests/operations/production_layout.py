"""The production layout as processes (issue 14 §2): gunicorn with 2 workers, a Celery worker and
beat on Redis, PostgreSQL, `DJANGO_DEBUG=0` with collected static files, in a scratch directory
and a scratch database. `Deployment` starts them, waits until `/readyz` says ready, and stops
and removes everything on exit. Used by test_production_layout.py."""

import base64
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_DB = 11  # a database of its own on the local Redis, flushed before and after


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), 2).close()
        return True
    except OSError:
        return False


def start_local_redis() -> bool:
    """Start the machine's Redis on 127.0.0.1:6379 when it is installed and down."""
    if reachable("127.0.0.1", 6379):
        return True
    try:
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1",
                        "--port", "6379", "--save", "", "--appendonly", "no"],
                       check=True, capture_output=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    for _ in range(20):
        if reachable("127.0.0.1", 6379):
            return True
        time.sleep(0.5)
    return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Deployment:
    def __init__(self, postgres_url: str, workdir: Path):
        self.admin_url = postgres_url
        self.database = f"smoke_{secrets.token_hex(4)}"
        self.workdir = workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}
        server = postgres_url.rsplit("/", 1)[0]
        self.env = {
            **{key: value for key, value in os.environ.items()
               if not key.startswith(("DJANGO_", "CELERY_", "PYTEST", "MARKETPLACE_"))},
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # no TLS terminator in front of it here
            "AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "DATABASE_URL": f"{server}/{self.database}",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "MARKETPLACE_VAR_DIR": str(workdir / "var"),
            "STATIC_ROOT": str(workdir / "static"),
            "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
            # The platform CA that signs contracts, created below as an operator would.
            "PKI_CA_DIR": str(workdir / "pki"),
            "PKI_CA_PASSPHRASE": secrets.token_urlsafe(24),
            "LOG_FORMAT": "json",
            # The market's periods, shortened so that a whole tender fits in a minute; the
            # services enforce them exactly as they enforce the legal ones.
            "MARKETPLACE_MIN_BIDDING_PERIOD": "5s",
            "MARKETPLACE_PUBLICITY_PERIOD": "5s",
            "MARKETPLACE_DUE_TASKS_SECONDS": "1",
            "PYTHONUNBUFFERED": "1",
        }

    # --- lifecycle ------------------------------------------------------------------------
    def __enter__(self):
        (self.workdir / "prometheus").mkdir(parents=True)
        self._flush_redis()
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        try:
            self.manage("migrate", "--noinput")
            self.manage("collectstatic", "--noinput")
            self.manage("pki_init_ca")
            self.spawn("web", [BIN / "gunicorn", "marketplace.wsgi", "--workers", "2",
                               "--bind", f"127.0.0.1:{self.port}", "--timeout", "60"])
            self.spawn("worker", [BIN / "celery", "-A", "marketplace", "worker",
                                  "--concurrency", "2", "--loglevel", "INFO",
                                  "--without-gossip", "--without-mingle"])
            self.spawn("beat", [BIN / "celery", "-A", "marketplace", "beat", "--loglevel",
                                "INFO", "--schedule", str(self.workdir / "beat-schedule")])
            self.wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_exc):
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        for handle in self._logs:
            handle.close()
        self._flush_redis()
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    _logs: list = []

    def manage(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stderr[-3000:]}"
        return done.stdout

    def spawn(self, name: str, command: list) -> None:
        log = open(self.workdir / f"{name}.log", "w")  # noqa: SIM115 (closed in __exit__)
        self._logs = [*self._logs, log]
        self.processes[name] = subprocess.Popen([str(part) for part in command], cwd=ROOT,
                                                env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT)

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def wait_ready(self, timeout: float = 120) -> None:
        deadline, last = time.monotonic() + timeout, "no answer"
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                assert process.poll() is None, f"{name} exited:\n{self.log(name)[-3000:]}"
            try:
                answer = requests.get(f"{self.base}/readyz", timeout=5)
                if answer.status_code == 200:
                    return
                last = answer.text
            except requests.RequestException as error:
                last = str(error)
            time.sleep(1)
        raise AssertionError(f"never ready: {last}")

    def _flush_redis(self) -> None:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB, socket_timeout=5).flushdb()

    # --- the API ----------------------------------------------------------------------------
    def call(self, method: str, path: str, token: str = "", **kwargs) -> requests.Response:
        headers = {"Authorization": f"Token {token}"} if token else {}
        return requests.request(method, f"{self.base}/api/v1/{path}", headers=headers,
                                timeout=30, **kwargs)

    def wait_for(self, path: str, token: str, field: str, value, timeout: float = 90) -> dict:
        """Poll `path` until its `field` is `value` (the beat and worker move it, not us)."""
        deadline, body = time.monotonic() + timeout, {}
        while time.monotonic() < deadline:
            body = self.call("GET", path, token).json()
            if body.get(field) == value:
                return body
            time.sleep(0.5)
        raise AssertionError(f"{path}: {field} stayed {body.get(field)!r}, not {value!r}\n"
                             f"worker:\n{self.log('worker')[-3000:]}\n"
                             f"beat:\n{self.log('beat')[-1500:]}")
