"""One SQLAlchemy engine per logged-in account: every query runs as that account's login role,
so PostgreSQL's grants and row-level security decide what it sees."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from crm_desktop import messages
from crm_desktop.db.blocking import SESSION_SETTINGS, BlockedStatementWatch, application_name, session_options


def parse_hosts(host: str, port: int) -> list[tuple[str, int]]:
    """``a``, ``a,b`` or ``a:5432,b:5433`` (``[::1]:5432`` for IPv6) as (host, port) pairs;
    a host without its own port takes ``port``."""
    endpoints = []
    for part in (p.strip() for p in host.split(",")):
        if not part:
            continue
        if part.startswith("["):
            name, _, rest = part[1:].partition("]")
            endpoints.append((name, int(rest[1:]) if rest.startswith(":") else port))
        elif part.count(":") == 1:
            name, _, number = part.partition(":")
            endpoints.append((name, int(number)))
        else:
            endpoints.append((part, port))
    return endpoints or [("127.0.0.1", port)]


@dataclass(frozen=True)
class ServerAddress:
    """Where the CRM database lives: this PC's embedded server or a LAN host — or several: a
    primary and its standbys (``host`` "a,b" or "a:5432,b:5433"), of which libpq picks the one
    that takes writes (``target_session_attrs=read-write``), so after a failover every new
    connection goes to the promoted server."""

    host: str = "127.0.0.1"
    port: int = 5432
    database: str = "crm"
    sslmode: str = "prefer"
    sslrootcert: str = ""  # the pinned certificate of a LAN server (db.tls), with sslmode verify-ca
    channel_binding: str = ""
    target_session_attrs: str = ""  # with several hosts: "read-write" unless told otherwise

    def endpoints(self) -> list[tuple[str, int]]:
        return parse_hosts(self.host, self.port)

    def label(self) -> str:
        endpoints = self.endpoints()
        if len(endpoints) == 1:
            return f"{endpoints[0][0]}:{endpoints[0][1]}/{self.database}"
        return ",".join(f"{h}:{p}" for h, p in endpoints) + f"/{self.database}"

    def connect_args(self, login: str, password: str, timeout: int = 5,
                     settings: dict[str, str] = SESSION_SETTINGS) -> dict:
        endpoints = self.endpoints()
        args = {"host": ",".join(h for h, _p in endpoints), "port": ",".join(str(p) for _h, p in endpoints),
                "dbname": self.database, "user": login,
                "password": password, "sslmode": self.sslmode, "connect_timeout": timeout,
                "application_name": application_name(), "options": session_options(settings)}
        if len(endpoints) == 1:
            args["port"] = endpoints[0][1]
        if len(endpoints) > 1 or self.target_session_attrs:
            args["target_session_attrs"] = self.target_session_attrs or "read-write"
        if self.sslrootcert:
            args["sslrootcert"] = self.sslrootcert
        if self.channel_binding:
            args["channel_binding"] = self.channel_binding
        return args

    @classmethod
    def from_url(cls, url: str) -> "ServerAddress":
        from sqlalchemy.engine import make_url

        u = make_url(url)
        return cls(u.host or "127.0.0.1", u.port or 5432, u.database or "crm",
                   u.query.get("sslmode", "prefer") if u.query else "prefer")


@dataclass
class Database:
    """An open connection pool for one account."""

    address: ServerAddress
    login: str
    engine: Engine
    account_id: int | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)
    watch: BlockedStatementWatch | None = field(default=None, repr=False)
    """Asks the server to end sessions that block this account's statements (db/blocking.py)."""
    _sessions: sessionmaker = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    def can(self, code: str) -> bool:
        """Whether the account's roles grant ``code`` (a node grants everything under it)."""
        if "system.admin" in self.permissions or code in self.permissions:
            return True
        return any(code.startswith(granted + ".") for granted in self.permissions)

    def refresh_identity(self) -> None:
        with self.engine.connect() as conn:
            self.account_id = conn.execute(text("select crm.current_account()")).scalar()
            self.permissions = frozenset(conn.execute(text("select crm.my_permissions()")).scalars())
            # refusals name the permission in words, not as a code
            messages.PERMISSION_NAMES.update(
                {code: (zh, en) for code, zh, en in conn.execute(
                    text("select code, name_zh, name_en from crm.permission"))})

    def close(self) -> None:
        self.engine.dispose()


def open_database(address: ServerAddress, login: str, password: str, pool_size: int = 4,
                  settings: dict[str, str] = SESSION_SETTINGS) -> Database:
    """Connect as ``login``; raises the driver's OperationalError if PostgreSQL refuses.
    ``settings`` are the sessions' timeouts (crm-admin's superuser sessions turn them off)."""
    args = address.connect_args(login, password, settings=settings)
    engine = create_engine("postgresql+psycopg://", connect_args=args, pool_size=pool_size,
                           max_overflow=4, pool_pre_ping=True)
    try:
        db = Database(address, login, engine, watch=BlockedStatementWatch(engine))
        db.refresh_identity()
    except Exception:
        engine.dispose()
        raise
    return db
