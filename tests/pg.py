"""A throwaway PostgreSQL server for the tests: ``initdb`` and ``pg_ctl`` from the machine's
binaries, a data folder and a unix socket in a temporary folder, run as the ``postgres`` user
when the tests run as root (the server refuses root). One server per test session; each test
gets a database of its own, made from a template (``fresh_database``).

``server()`` returns None with the reason when no server can be had (no binaries); under
``CI=true`` that is a failure, not a skip.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

ADMIN = "postgres"  # the server's superuser, made by initdb
TEST_USER = "testare"  # owns each test's database: the actor the tests expect (TRAPPA_USER)


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    config = shutil.which("pg_config")
    if config:
        out = subprocess.run([config, "--bindir"], capture_output=True, text=True)
        path = Path(out.stdout.strip())
        if (path / "pg_ctl").exists():
            return path
    return None


@dataclass
class Server:
    folder: Path
    bindir: Path
    run_as: str | None

    @property
    def socket(self) -> str:
        return str(self.folder / "socket")

    def url(self, database: str, user: str = ADMIN) -> str:
        return f"postgresql://{user}@/{database}?host={self.socket}&port=5432"

    def admin_sql(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def fresh_database(self, owner: str = TEST_USER) -> str:
        """A new, empty database owned by ``owner``; its name."""
        name = "t_" + uuid.uuid4().hex[:16]
        self.admin_sql(f'CREATE DATABASE "{name}" OWNER "{owner}" TEMPLATE template0')
        return name

    def create_user(self, name: str) -> None:
        """A login role (the server trusts local connections: no password)."""
        self.admin_sql(
            f"DO $$ BEGIN CREATE ROLE \"{name}\" LOGIN; EXCEPTION WHEN duplicate_object"
            " THEN NULL; END $$"
        )

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _pg_ctl(self, *args: str) -> None:
        _run(self.run_as, [str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), *args])


def _run(user: str | None, command: list[str]) -> None:
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def start() -> Server | str:
    """A running server, or why there is none."""
    bindir = _bindir()
    if bindir is None:
        return "no PostgreSQL server programs (initdb, pg_ctl) on this machine"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server as"
        run_as = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="trappa-pg-"))
    (folder / "socket").mkdir()
    if run_as is not None:
        os.chmod(folder, 0o755)
        shutil.chown(folder, run_as)
        shutil.chown(folder / "socket", run_as)
    server = Server(folder, bindir, run_as)
    try:
        _run(run_as, [str(bindir / "initdb"), "-D", str(folder / "data"), "-U", ADMIN,
                      "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        options = (f"-k {folder / 'socket'} -c listen_addresses='' -c fsync=off"
                   " -c full_page_writes=off -c synchronous_commit=off -c max_connections=100")
        server._pg_ctl("start", "-w", "-s", "-l", str(folder / "log"), "-o", options)
        server.create_user(TEST_USER)
    except (subprocess.CalledProcessError, OSError, subprocess.TimeoutExpired) as exc:
        if (folder / "data" / "postmaster.pid").exists():
            server._pg_ctl("stop", "-m", "immediate")
        log = folder / "log"
        detail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        err = getattr(exc, "stderr", b"") or b""
        return f"the PostgreSQL server did not start: {exc} {err.decode(errors='replace')} {detail}"
    return server


def dump(url: str) -> dict[str, list]:
    """Every row of every table of the register at ``url``."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)  # type: ignore[arg-type]
                for t in tables}
