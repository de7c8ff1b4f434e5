"""A private, throw-away PostgreSQL cluster for outage tests: stop it, restart it, make it read-only.

Never point such tests at the shared server on :5432 — other test runs use it concurrently, and
stopping it would break them. This starts a fresh cluster (``initdb``) on a free loopback port:

    from tests.support.postgres_cluster import PrivatePostgres

    @pytest.fixture
    def pg(tmp_path):
        with PrivatePostgres(tmp_path) as cluster:       # start() on enter, cleanup() on exit
            yield cluster

    def test_outage(pg, tmp_path):
        url = pg.create_database("catalyst")             # postgresql://postgres@127.0.0.1:<port>/catalyst
        ...
        pg.stop()                                        # fast shutdown: clients see connections drop
        ...                                              # the port stays reserved for restart()
        pg.start()                                       # same port, same data: URLs stay valid
        pg.restart()                                     # stop() + start()
        pg.stop(mode="immediate")                        # like a crash (recovery on next start)
        pg.set_read_only(True)                           # default_transaction_read_only, reloaded live
        pg.terminate_connections("catalyst")             # drop every client session of a database

Details worth knowing:

- Data lives in a fresh directory under the system temp dir (owned by user ``postgres`` when we
  run as root, because ``initdb``/``pg_ctl`` refuse to run as root; the commands then run through
  ``runuser -u postgres --``). pytest's ``tmp_path`` is not readable by that user, so ``workdir``
  only receives a copy of the server log at cleanup (``postgres-<port>.log``), for post-mortems.
  As a non-root user the commands run directly as that user.
- Binaries: ``$PG_BIN`` if set, else the newest ``/usr/lib/postgresql/*/bin``, else ``pg_config
  --bindir``, else ``$PATH``.
- Speed over durability: ``fsync=off``, ``synchronous_commit=off``, ``full_page_writes=off``,
  no Unix socket (TCP on 127.0.0.1 only), trust authentication for user ``postgres``.
- ``start()`` picks a free port the first time (retrying with another one if it was taken in the
  meantime), waits until the server accepts connections and keeps the port from then on.
- ``stop()`` waits for the server to exit; stopping a stopped cluster is a no-op. ``cleanup()``
  (also run at interpreter exit, in case a test forgets) stops it immediately and deletes the data.
- ``log_text()`` returns the server log so far; failures to start include it in the exception.

For Catalyst server processes on such a cluster, ``seed_catalyst(cluster, tmp_path, accounts)``
migrates a fresh database and creates accounts with API tokens, like
``tests.support.server.seed_database`` does for the shared server:

    database, accounts = seed_catalyst(pg, tmp_path, {"exec": ("executive", "Acme")})
    with CatalystServer(database, tmp_path) as server:
        ...  # accounts["exec"].token is a bearer token
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

_STOP_MODES = ("smart", "fast", "immediate")
_CONFIG = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "60",
    "shared_buffers": "32MB",
    "max_wal_size": "256MB",
    "logging_collector": "off",
    "log_min_messages": "warning",
    "log_connections": "off",
    "log_disconnections": "off",
    "timezone": "'UTC'",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_pg_bin() -> Path:
    """The directory holding initdb and pg_ctl."""
    explicit = os.environ.get("PG_BIN")
    if explicit:
        return Path(explicit)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0))
    if candidates:
        return Path(candidates[-1])
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True, timeout=10)
        return Path(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        found = shutil.which("initdb")
        if found:
            return Path(found).parent
    raise RuntimeError("PostgreSQL binaries not found: set PG_BIN to the directory holding initdb and pg_ctl")


class PrivatePostgres:
    """One private cluster; see the module docstring."""

    def __init__(self, workdir: Path | str, *, user: str = "postgres", config: dict[str, str] | None = None) -> None:
        self.workdir = Path(workdir)
        self.user = user
        self.bin = find_pg_bin()
        self.config = {**_CONFIG, **(config or {})}
        self._as_root = os.geteuid() == 0
        self.port: int | None = None
        self.root: Path | None = None
        self._initialised = False
        self._running = False
        self._cleaned = False
        atexit.register(self.cleanup)

    # --- paths ---------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        self._ensure_root()
        return self.root / "data"  # type: ignore[operator]

    @property
    def log_path(self) -> Path:
        self._ensure_root()
        return self.root / "postgres.log"  # type: ignore[operator]

    def url(self, dbname: str = "postgres") -> str:
        """A libpq URL for `dbname` (what DATABASE_URL takes)."""
        if self.port is None:
            raise RuntimeError("the cluster has no port yet: call start() first")
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> PrivatePostgres:
        """Create the cluster on first use, then start it and wait until it accepts connections."""
        if self._cleaned:
            raise RuntimeError("this cluster was cleaned up; create a new PrivatePostgres")
        if self._running:
            return self
        if not self._initialised:
            self._initdb()
        if self.port is not None:  # a restart keeps its port, so every URL handed out stays valid
            self._pg_ctl_start(self.port, timeout)
        else:
            last: Exception | None = None
            for _attempt in range(5):
                port = _free_port()
                try:
                    self._pg_ctl_start(port, timeout)
                except RuntimeError as exc:  # most likely the port was taken between bind and start
                    last = exc
                    continue
                self.port = port
                break
            else:
                raise RuntimeError(f"private PostgreSQL did not start: {last}")
        self._running = True
        self._wait_accepting(timeout)
        return self

    def stop(self, mode: str = "fast", timeout: float = 60.0) -> None:
        """Shut down (fast: roll back open transactions and disconnect clients). No-op when stopped."""
        if mode not in _STOP_MODES:
            raise ValueError(f"mode must be one of {_STOP_MODES}")
        if not self._running:
            return
        self._run(
            [str(self.bin / "pg_ctl"), "-D", str(self.data_dir), "-m", mode, "-w", "-t", str(int(timeout)), "stop"],
            timeout=timeout + 15,
        )
        self._running = False

    def restart(self, mode: str = "fast", timeout: float = 60.0) -> PrivatePostgres:
        self.stop(mode, timeout)
        return self.start(timeout)

    @property
    def running(self) -> bool:
        return self._running

    def cleanup(self) -> None:
        """Stop at once, keep a copy of the log in `workdir`, delete the data. Safe to call twice."""
        if self._cleaned:
            return
        self._cleaned = True
        try:
            if self._running:
                try:
                    self.stop("immediate", timeout=30)
                except (RuntimeError, subprocess.SubprocessError, OSError):
                    self._kill_postmaster()
            if self.root is not None and self.log_path.exists() and self.workdir.is_dir():
                with contextlib.suppress(OSError):
                    shutil.copyfile(self.log_path, self.workdir / f"postgres-{self.port}.log")
        finally:
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
            atexit.unregister(self.cleanup)

    def __enter__(self) -> PrivatePostgres:
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    # --- conveniences for outage tests -----------------------------------------------------------

    def connect(self, dbname: str = "postgres", **kwargs) -> psycopg.Connection:
        """An autocommit psycopg connection (close it, or use it as a context manager)."""
        return psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=10, **kwargs)

    def execute(self, sql: str, params: tuple | None = None, dbname: str = "postgres") -> list[tuple]:
        """Run one statement in autocommit mode; returns its rows (empty for statements without)."""
        with self.connect(dbname) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def create_database(self, name: str) -> str:
        """Create (or empty, when it exists) database `name`; returns its URL."""
        if not name.replace("_", "").isalnum():
            raise ValueError("database names here are letters, digits and underscores")
        if not self.execute("select 1 from pg_database where datname = %s", (name,)):
            self.execute(f'create database "{name}"')
        else:
            self.execute("drop schema if exists public cascade", dbname=name)
            self.execute("create schema public", dbname=name)
        return self.url(name)

    def set_config(self, name: str, value: str | None) -> None:
        """ALTER SYSTEM SET (None: RESET) and reload; sessions pick it up at their next statement."""
        with self.connect() as conn:
            conn.execute("set default_transaction_read_only = off")  # so that read-only can be undone
            if value is None:
                conn.execute(sql.SQL("alter system reset {}").format(sql.Identifier(name)))
            else:
                conn.execute(sql.SQL("alter system set {} = {}").format(sql.Identifier(name), sql.Literal(value)))
            conn.execute("select pg_reload_conf()")

    def set_read_only(self, read_only: bool = True) -> None:
        """Make every new transaction read-only (as a client of a hot standby sees), or undo it."""
        self.set_config("default_transaction_read_only", "on" if read_only else None)
        self._wait_setting("default_transaction_read_only", "on" if read_only else "off")

    def terminate_connections(self, dbname: str) -> int:
        """Terminate every client backend connected to `dbname`; returns how many."""
        rows = self.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity where datname = %s and pid <> pg_backend_pid()",
            (dbname,),
        )
        return len(rows)

    def postmaster_pid(self) -> int | None:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            return int(pid_file.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    # --- internals -------------------------------------------------------------------------------

    def _ensure_root(self) -> None:
        if self.root is None:
            self.root = Path(tempfile.mkdtemp(prefix="catalyst-pg-"))
            os.chmod(self.root, 0o700)
            if self._as_root:
                shutil.chown(self.root, user="postgres", group="postgres")

    def _command(self, argv: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *argv] if self._as_root else argv

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C", TZ="UTC")
        return env

    def _run(self, argv: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            self._command(argv),
            cwd=self.root,
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{Path(argv[0]).name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n"
                f"--- server log ---\n{self.log_text()[-4000:]}"
            )
        return done

    def _initdb(self) -> None:
        self._ensure_root()
        self._run(
            [
                str(self.bin / "initdb"),
                "-D", str(self.data_dir),
                "-U", self.user,
                "-A", "trust",
                "-E", "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            timeout=180,
        )
        with (self.data_dir / "postgresql.auto.conf").open("a") as conf:
            conf.write("".join(f"{k} = {v}\n" for k, v in self.config.items()))
        self._initialised = True

    def _pg_ctl_start(self, port: int, timeout: float) -> None:
        self._run(
            [
                str(self.bin / "pg_ctl"),
                "-D", str(self.data_dir),
                "-l", str(self.log_path),
                "-o", f"-p {port}",
                "-w", "-t", str(int(timeout)),
                "start",
            ],
            timeout=timeout + 15,
        )

    def _wait_accepting(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.connect():
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"private PostgreSQL refuses connections:\n{self.log_text()[-4000:]}") from None
                time.sleep(0.1)

    def _wait_setting(self, name: str, expected: str, timeout: float = 30.0) -> None:
        """A reload is asynchronous: wait until a new session sees the setting."""
        deadline = time.monotonic() + timeout
        while True:
            if self.execute("select current_setting(%s)", (name,))[0][0] == expected:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not become {expected} after a reload")
            time.sleep(0.05)

    def _kill_postmaster(self) -> None:
        pid = self.postmaster_pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, 9)
        self._running = False


def seed_catalyst(cluster: PrivatePostgres, tmp_path: Path, accounts: dict[str, tuple[str, str]], dbname: str = "catalyst"):
    """Migrate a fresh `dbname` on the cluster and create accounts in-process; returns (Database, {name: Account}).

    `accounts` maps a short name to (role, organisation); every account gets an API token and the
    email `<name>@<org lowercased>.example.com` (password: tests.support.server.PASSWORD).
    """
    from tests.support.server import seed_at

    return seed_at(cluster.create_database(dbname), tmp_path, accounts)
