"""Connection profiles, the last login, "remember me" and the app's data folder.

A profile is either **this PC** (the private embedded server in the user's data folder) or a
**server** (host, port, database).  Profiles, the last profile and the last login live in
QSettings; a remembered password lives only in the OS keyring (service ``crm-desktop``, key
``<profile>/<login>``), never in QSettings or on disk in clear.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from crm_desktop.db.connection import ServerAddress

KEYRING_SERVICE = "crm-desktop"
LOCAL = "local"
SERVER = "server"
LOCAL_PROFILE_NAME = "this-pc"


def default_data_dir() -> Path:
    """Where this PC's embedded server lives (platformdirs ``user_data_dir('crm-desktop')``)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("crm-desktop", appauthor=False)) / "server"


def app_settings() -> QSettings:
    """The app's settings store (registry on Windows, an ini file elsewhere)."""
    return QSettings("crm-desktop", "crm-desktop")


@dataclass
class Profile:
    """Where to connect: this PC's embedded server or a server on the LAN."""

    name: str
    kind: str = LOCAL
    host: str = "127.0.0.1"
    port: int = 5432
    database: str = "crm"
    data_dir: str = ""

    @property
    def is_local(self) -> bool:
        return self.kind == LOCAL

    def data_path(self) -> Path:
        return Path(self.data_dir) if self.data_dir else default_data_dir()

    def address(self, port: int | None = None) -> ServerAddress:
        """The server address; a local profile passes the port its server listens on."""
        if self.is_local:
            return ServerAddress("127.0.0.1", port or self.port, "crm")
        return ServerAddress(self.host, self.port, self.database)

    def label(self) -> str:
        return str(self.data_path()) if self.is_local else f"{self.host}:{self.port}/{self.database}"


def local_profile(data_dir: Path | str | None = None) -> Profile:
    return Profile(LOCAL_PROFILE_NAME, LOCAL, data_dir=str(data_dir) if data_dir else "")


_SERVER_SPEC = re.compile(r"^\s*(?P<host>\[[^\]]+\]|[^:/\s]+)(?::(?P<port>\d+))?(?:/(?P<db>[^\s/]+))?\s*$")


_HOSTS_SPEC = re.compile(r"^\s*(?P<hosts>[^/\s]+,[^/\s]+)(?:/(?P<db>[^\s/]+))?\s*$")


def parse_server(spec: str) -> Profile:
    """``host[:port][/database]`` (the ``--server`` option) as a server profile; several hosts
    (a primary and its standby) as ``a[:port],b[:port][/database]``."""
    several = _HOSTS_SPEC.match(spec)
    if several:
        from crm_desktop.db.connection import parse_hosts

        hosts, database = several["hosts"], several["db"] or "crm"
        try:
            parse_hosts(hosts, 5432)
        except ValueError:
            raise ValueError(f"not host:port,host:port/database: {spec!r}") from None
        return Profile(f"{hosts}/{database}", SERVER, hosts, 5432, database)
    match = _SERVER_SPEC.match(spec)
    if not match:
        raise ValueError(f"not host:port/database: {spec!r}")
    host = match["host"].strip("[]")
    port, database = int(match["port"] or 5432), match["db"] or "crm"
    return Profile(f"{host}:{port}/{database}", SERVER, host, port, database)


class Config:
    """Profiles and logins remembered in ``settings`` (tests pass an ini-file QSettings)."""

    def __init__(self, settings: QSettings | None = None):
        self.settings = settings or app_settings()

    # -- profiles ----------------------------------------------------------------------------
    def profiles(self) -> list[Profile]:
        count = self.settings.beginReadArray("profiles")
        found = []
        for index in range(count):
            self.settings.setArrayIndex(index)
            found.append(Profile(**{key: self._value(key, default) for key, default in
                                    asdict(Profile("")).items()}))
        self.settings.endArray()
        return found

    def _value(self, key: str, default):
        value = self.settings.value(key, default)
        return int(value) if isinstance(default, int) else str(value)

    def save_profile(self, profile: Profile) -> None:
        """Add ``profile`` or replace the one with its name."""
        kept = [p for p in self.profiles() if p.name != profile.name] + [profile]
        self.settings.beginWriteArray("profiles", len(kept))
        for index, item in enumerate(kept):
            self.settings.setArrayIndex(index)
            for key, value in asdict(item).items():
                self.settings.setValue(key, value)
        self.settings.endArray()
        self.settings.sync()

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self.profiles() if p.name == name), None)

    def last_profile(self) -> Profile | None:
        return self.profile(str(self.settings.value("login/last_profile", "")))

    def last_login(self) -> str:
        return str(self.settings.value("login/last_login", ""))

    def remember_last(self, profile: Profile, login: str) -> None:
        self.save_profile(profile)
        self.settings.setValue("login/last_profile", profile.name)
        self.settings.setValue("login/last_login", login)
        self.settings.sync()

    # -- language ----------------------------------------------------------------------------
    def language(self) -> str:
        return str(self.settings.value("ui/language", "zh_CN"))

    def set_language(self, language: str) -> None:
        self.settings.setValue("ui/language", language)
        self.settings.sync()

    # -- remember me -------------------------------------------------------------------------
    def remember_password(self, profile: Profile, login: str, password: str, account_is_ukey: bool) -> None:
        """Keep ``password`` in the keyring, unless the account's password must never be stored."""
        if not may_remember_password(account_is_ukey):
            self.forget_password(profile, login)
            return
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_key(profile, login), password)

    def remembered_password(self, profile: Profile, login: str) -> str | None:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, keyring_key(profile, login))
        except KeyringError:  # no usable backend on this PC: nothing was remembered
            return None

    def forget_password(self, profile: Profile, login: str) -> None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(KEYRING_SERVICE, keyring_key(profile, login))
        except (PasswordDeleteError, KeyringError):
            pass


def keyring_key(profile: Profile, login: str) -> str:
    return f"{profile.name}/{login}"


def may_remember_password(account_is_ukey: bool) -> bool:
    """Whether "remember me" may store the password; a UKey account keeps only its login.

    The UKey login (services.ukey) calls this with the account's UKey flag before remembering.
    """
    return not account_is_ukey
