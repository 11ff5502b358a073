"""The browser half of `make test` cannot pass silently without a browser: under CI=true a
missing Chromium fails the run; on a developer machine it is skipped with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JOURNEY = "tests/e2e/test_blacklist_journey.py"


def run_without_chromium(ci: str) -> subprocess.CompletedProcess:
    # A PATH that still has Python's tools but no `chromium`.
    python_bin = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": python_bin, "CI": ci, "DATABASE_URL": ""}
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", JOURNEY, "-rs", "-x"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_under_ci_a_missing_browser_fails_the_run():
    result = run_without_chromium("true")
    assert result.returncode != 0, result.stdout[-2000:]
    assert "Chromium was not found on the PATH" in result.stdout


def test_on_a_developer_machine_a_missing_browser_is_one_clear_line():
    result = run_without_chromium("")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "BROWSER HALF DID NOT RUN" in result.stdout
    assert "SKIPPED" in result.stdout
