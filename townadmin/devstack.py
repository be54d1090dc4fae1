"""The launcher behind the README's two commands: ``make run`` and ``make test``.

``python -m townadmin.devstack run`` migrates, seeds the demo data and runs the
web server, a Celery worker and Celery beat until Ctrl-C; ``... test`` runs the
checks and the test suite. Both start the embedded PostgreSQL when
DATABASE_URL is unset and stop it again if they were the ones who started it.

Children run in their own process groups so that Ctrl-C reaches only this
launcher, which then stops them in order: web and workers first, the database
last, and nothing is left listening.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from townadmin import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TOWNADMIN_DATA_DIR", BASE_DIR / ".data"))
PYTHON = sys.executable
BIN = Path(PYTHON).parent
STOP_GRACE_SECONDS = 20


def main(argv):
    command = argv[0] if argv else ""
    if command not in ("run", "test"):
        print("usage: python -m townadmin.devstack run|test [pytest args]", file=sys.stderr)
        return 2
    started_database = _ensure_database()
    try:
        return run() if command == "run" else test(argv[1:])
    finally:
        if started_database:
            print("Stopping the embedded PostgreSQL …", flush=True)
            embedded_db.stop(DATA_DIR)


def _ensure_database():
    """Point DATABASE_URL at the embedded server unless it is set; True if we started it."""
    if os.environ.get("DATABASE_URL"):
        return False
    was_running = embedded_db.is_running(DATA_DIR)
    if not was_running:
        print(f"DATABASE_URL is unset: starting the embedded PostgreSQL in {DATA_DIR}/postgres")
    os.environ["DATABASE_URL"] = embedded_db.database_url(DATA_DIR)
    return not was_running


def test(pytest_args):
    # Importing townadmin (for the embedded database) set it to the app's settings;
    # pytest must take tests.settings from pyproject.toml instead.
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    steps = [
        [BIN / "ruff", "check", "."],
        [BIN / "ruff", "format", "--check", "."],
        [PYTHON, "manage.py", "check", "--fail-level", "WARNING"],
        [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"],
        [PYTHON, "-m", "pytest", *pytest_args],
    ]
    for step in steps:
        print("$", " ".join(str(part) for part in step), flush=True)
        code = _interruptible(subprocess.Popen(step, cwd=BASE_DIR))
        if code != 0:
            print(f"FAILED ({code}): {' '.join(str(part) for part in step)}", file=sys.stderr)
            return code
    return 0


def run():
    port = int(os.environ.get("PORT", "8000"))
    for step in (["migrate", "--noinput"], ["seed_demo"]):
        code = _interruptible(subprocess.Popen([PYTHON, "manage.py", *step], cwd=BASE_DIR))
        if code != 0:
            return code
    services = {
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"],
        "worker": [BIN / "celery", "-A", "townadmin", "worker", "-l", "INFO", "-c", "1"],
        "beat": [BIN / "celery", "-A", "townadmin", "beat", "-l", "INFO"],
    }
    children = {
        name: subprocess.Popen(argv, cwd=BASE_DIR, start_new_session=True)
        for name, argv in services.items()
    }
    stopping = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        announced = False
        while not stopping:
            dead = [name for name, child in children.items() if child.poll() is not None]
            if dead:
                print(f"{', '.join(dead)} exited; stopping the portal.", file=sys.stderr)
                return 1
            if not announced and _port_open(port):
                _announce(port)
                announced = True
            time.sleep(0.5)
        return 0
    finally:
        print("\nStopping web, worker and beat …", flush=True)
        _stop_all(children.values())


def _announce(port):
    print(
        "\n"
        f"  镇级权力运行管理平台 Town Power Portal: http://127.0.0.1:{port}/\n"
        f"  Health: http://127.0.0.1:{port}/healthz   API docs: http://127.0.0.1:{port}/api/docs/\n"
        "  Demo logins are listed above by seed_demo and in the README. Ctrl-C stops everything.\n",
        flush=True,
    )


def _port_open(port):
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _interruptible(child):
    """Wait for a foreground step; on Ctrl-C the step gets it too and we wait for its exit."""
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:
            continue


def _stop_all(children):
    children = [child for child in children if child.poll() is None]
    # SIGTERM to the main process only: Celery's warm shutdown lets its pool finish
    # the running task (acks_late would redeliver it anyway) instead of killing it.
    for child in children:
        child.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.wait()
    # The runserver autoreloader's server process and any stray pool process are
    # grandchildren in the same group: nothing may be left listening.
    for child in children:
        _signal_group(child, signal.SIGKILL)


def _signal_group(child, signum):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
