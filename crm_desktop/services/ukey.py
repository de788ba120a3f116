"""UKey accounts: binding a key, logging in with it, and checking it again to unlock a session.

The card computes the account's database password from the typed login and password
(``crm_desktop.ukey.derive_password``); PostgreSQL only ever holds the SCRAM verifier of that
derived password, so the same login and password without the card are refused by the server.
Card failures leave here as ``UserError`` with the catalogue's ukey_* keys.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import secrets
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import psycopg
from sqlalchemy import text

from crm_desktop import ukey
from crm_desktop.db.connection import Database, ServerAddress
from crm_desktop.db.scram import scram_verifier
from crm_desktop.messages import UserError
from crm_desktop.services.account import check_password
from crm_desktop.services.auth import PROBE_PASSWORD, PROBE_ROLE, log_in


def user_error(error: ukey.UKeyError) -> UserError:
    """The sentence for a card failure (a wrong PIN without a count has its own)."""
    if isinstance(error, ukey.WrongPin) and error.tries_left is None:
        return UserError("ukey_wrong_pin_no_count")
    params = error.params
    if isinstance(error, ukey.CardError) and not params.get("sw"):
        params = {"sw": "PC/SC"}  # a reader-level failure has no status word to show
    return UserError(error.key, **params)


@contextmanager
def card_errors() -> Iterator[None]:
    """Turn UKey errors raised inside the block into ``UserError``."""
    try:
        yield
    except ukey.UKeyError as exc:
        raise user_error(exc) from None


def inserted_card_id(reader: str | None = None) -> str:
    """The id of the card in the reader; ukey_no_reader / ukey_no_card when there is none."""
    with card_errors():
        state = ukey.card_state(reader)
        if state.reader is None:
            raise ukey.NoReader()
        if not state.card_present:
            raise ukey.NoCard()
        return state.card_id


# -- binding (administrators) ---------------------------------------------------------------------

def bind_ukey(db: Database, account_id: int, login: str, password: str, pin: str,
              reader: str | None = None) -> str:
    """Bind the inserted key to the account, whose password becomes ``password`` + this key.

    Returns the card id.  Open sessions of the account end (they were opened without the key).
    """
    check_password(password)
    _require_login(db, account_id, login)
    card_id = inserted_card_id(reader)
    with card_errors():
        # the expected id makes a card swapped in between fail before its PIN is tried
        derived = ukey.derive_password(login, password, pin, expected_card_id=card_id, reader=reader)
    with db.session() as s:
        s.execute(text("select crm.bind_ukey(:id, :card, :v)"),
                  {"id": account_id, "card": card_id, "v": scram_verifier(derived)})
    return card_id


def unbind_ukey(db: Database, account_id: int, new_password: str, confirm: str | None = None) -> None:
    """Back to an ordinary password (``new_password``); the key is no longer needed."""
    check_password(new_password, confirm)
    with db.session() as s:
        s.execute(text("select crm.unbind_ukey(:id, :v)"),
                  {"id": account_id, "v": scram_verifier(new_password)})


def logins_enforceable(db: Database) -> bool:
    """Whether this server can hold a UKey account to its card (its schema was installed by a
    superuser); where it cannot, binding is refused with ukey_unenforceable."""
    with db.session() as s:
        return bool(s.execute(text("select crm.ukey_logins_enforceable()")).scalar())


def _require_login(db: Database, account_id: int, login: str) -> None:
    # The card derives from the login too: binding under another spelling would never log in.
    with db.session() as s:
        actual = s.execute(text("select login from crm.account where id = :id and deleted_at is null"),
                           {"id": account_id}).scalar()
    if actual is None or actual != login:
        raise UserError("account_not_found")


def bind_ukey_interactive(db: Database, account_id: int, args) -> str:
    """crm-admin account bind-ukey: password twice and PIN from the terminal, or with
    ``--password-stdin`` the password then the PIN, one line each."""
    with db.session() as s:
        login = s.execute(text("select login from crm.account where id = :id"), {"id": account_id}).scalar()
    if getattr(args, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\n")
        pin = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"new password of {login}: ")
        check_password(password, getpass.getpass("again: "))
        pin = getpass.getpass("UKey PIN: ")
    card_id = bind_ukey(db, account_id, login, password, pin)
    print(f"UKey {card_id[:16]}… bound to {login}")
    return card_id


# -- logging in -----------------------------------------------------------------------------------

def bound_card_id(address: ServerAddress, login: str) -> str | None:
    """The card ``login`` is bound to, asked through the login probe (None: not a UKey account,
    or the server cannot say)."""
    try:
        with psycopg.connect(**address.connect_args(PROBE_ROLE, PROBE_PASSWORD)) as conn:
            return conn.execute("select crm.ukey_card_of(%s)", (login.strip(),)).fetchone()[0]
    except psycopg.Error:
        return None


def account_is_ukey(address: ServerAddress, login: str) -> bool:
    """Whether the login dialog must ask for the key and its PIN."""
    return bool(login.strip()) and bound_card_id(address, login) is not None


@dataclass(frozen=True)
class UKeySession:
    """Proof, kept in memory for one session, that the key which logged in is the key that unlocks.

    At login the card answers a random challenge; unlocking asks the card (after its PIN) for the
    answer again.  Only a digest of the answer is kept, and it opens nothing.
    """

    login: str
    card_id: str
    reader: str | None = None
    _challenge: str = field(default="", repr=False)
    _answer_digest: bytes = field(default=b"", repr=False)

    @classmethod
    def start(cls, login: str, card_id: str, pin: str, reader: str | None = None) -> "UKeySession":
        challenge = secrets.token_hex(16)
        return cls(login, card_id, reader, challenge, _digest(_answer(login, challenge, pin, card_id, reader)))

    def unlock(self, pin: str) -> None:
        """Returns when the bound key is in the reader and ``pin`` is its PIN, else raises UserError."""
        answer = _answer(self.login, self._challenge, pin, self.card_id, self.reader)
        if not hmac.compare_digest(_digest(answer), self._answer_digest):
            raise UserError("ukey_wrong_card")


def _answer(login: str, challenge: str, pin: str, card_id: str, reader: str | None) -> str:
    with card_errors():
        return ukey.derive_password(login, "session\0" + challenge, pin, expected_card_id=card_id, reader=reader)


def _digest(answer: str) -> bytes:
    return hashlib.sha256(answer.encode()).digest()


def ukey_login(address: ServerAddress, login: str, password: str, pin: str, card_id: str | None = None,
               reader: str | None = None) -> Database:
    """Log in with the key: the card derives the password, PostgreSQL checks it.

    Refusals name the cause: ukey_no_card, ukey_wrong_card, ukey_wrong_pin (tries left),
    ukey_card_blocked, … or wrong_password when the key is right but the typed password is not.
    A login not bound to a key logs in with its ordinary password.  The returned Database carries
    ``ukey_session`` (a ``UKeySession``) for the lock guard.
    """
    login = login.strip()
    if not login:
        raise UserError("login_required")
    card_id = card_id or bound_card_id(address, login)
    if card_id is None:
        return log_in(address, login, password)
    with card_errors():
        derived = ukey.derive_password(login, password, pin, expected_card_id=card_id, reader=reader)
    try:
        db = log_in(address, login, derived)
    except UserError as exc:
        # the key is the bound one, so the server refusing the derived password means a wrong password
        raise UserError("wrong_password") if exc.key == "account_ukey_required" else exc from None
    try:
        db.ukey_session = UKeySession.start(login, card_id, pin, reader)
    except Exception:
        db.close()
        raise
    return db
