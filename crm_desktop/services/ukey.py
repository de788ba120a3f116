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

from sqlalchemy import text

from crm_desktop import local_data, ukey
from crm_desktop.db.connection import Database, ServerAddress
from crm_desktop.db.scram import scram_verifier
from crm_desktop.messages import UserError
from crm_desktop.services.account import check_password
from crm_desktop.services.auth import log_in


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
    remember_card(db.address, login, card_id)
    return card_id


def unbind_ukey(db: Database, account_id: int, new_password: str, confirm: str | None = None) -> None:
    """Back to an ordinary password (``new_password``); the key is no longer needed."""
    check_password(new_password, confirm)
    with db.session() as s:
        login = s.execute(text("select login from crm.account where id = :id"), {"id": account_id}).scalar()
        s.execute(text("select crm.unbind_ukey(:id, :v)"),
                  {"id": account_id, "v": scram_verifier(new_password)})
    if login:
        forget_card(db.address, login)


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
#
# The server tells nobody before the login whether an account is bound to a key (a public role that
# could ask was an open door).  This PC remembers the cards it saw bound, by binding one here or by
# logging in with one, so it can refuse someone else's card before its PIN is tried; a login this
# PC knows nothing about gets the PIN step when an unknown card is in the reader.

KNOWN_CARDS_FILE = "ukey-logins.json"


def _known_cards(address: ServerAddress) -> dict[str, str]:
    cards = local_data.read_json(KNOWN_CARDS_FILE).get(address.label(), {})
    return cards if isinstance(cards, dict) else {}


def _store_known_cards(address: ServerAddress, cards: dict[str, str]) -> None:
    everything = local_data.read_json(KNOWN_CARDS_FILE)
    everything[address.label()] = cards
    local_data.write_json(KNOWN_CARDS_FILE, everything)


def remember_card(address: ServerAddress, login: str, card_id: str) -> None:
    """This PC saw ``login`` bound to ``card_id`` on the server at ``address``."""
    cards = _known_cards(address)
    if cards.get(login) != card_id:
        _store_known_cards(address, {**cards, login: card_id})


def forget_card(address: ServerAddress, login: str) -> None:
    """``login`` is no longer bound to a key (unbound here, or its ordinary password opened it)."""
    cards = _known_cards(address)
    if cards.pop(login, None) is not None:
        _store_known_cards(address, cards)


def bound_card_id(address: ServerAddress, login: str) -> str | None:
    """The card this PC knows ``login`` to be bound to (None: not known to be a UKey account)."""
    return _known_cards(address).get(login.strip())


def account_is_ukey(address: ServerAddress, login: str) -> bool:
    """Whether this PC knows ``login`` as a UKey account."""
    return bool(login.strip()) and bound_card_id(address, login) is not None


def pin_step(address: ServerAddress, login: str, reader: str | None = None) -> tuple[bool, str | None]:
    """Whether the login dialog asks ``login`` for a PIN, and the card it expects (None: any).

    A login known to be bound: its card.  Otherwise a card in the reader that this PC does not
    know as someone else's: the PIN is asked for, and left empty by an ordinary account.
    """
    login = login.strip()
    known = _known_cards(address)
    if login in known:
        return True, known[login]
    try:
        state = ukey.card_state(reader)
    except ukey.UKeyError:  # no pyscard, no reader service: nobody here logs in with a key
        return False, None
    return state.card_present and state.card_id not in known.values(), None


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
               reader: str | None = None, any_card: bool = False) -> Database:
    """Log in with the key: the card derives the password, PostgreSQL checks it.

    Refusals name the cause: ukey_no_card, ukey_wrong_card, ukey_wrong_pin (tries left),
    ukey_card_blocked, … or wrong_password when the key is the bound one but the typed password is
    not.  With ``card_id`` unknown (this PC never saw the binding) the inserted card is tried, then
    the typed password as an ordinary one; when both are refused, ukey_or_password_wrong.  An empty
    PIN for a login not known to be bound logs in with the ordinary password.  ``any_card``: use the
    inserted card even though this PC remembers another one (the account's key was replaced).  The returned
    Database carries ``ukey_session`` (a ``UKeySession``) for the lock guard.
    """
    login = login.strip()
    if not login:
        raise UserError("login_required")
    card_id = None if any_card else card_id or bound_card_id(address, login)
    if card_id is None and not pin:
        return _ordinary_login(address, login, password)
    known = card_id is not None
    if not known:
        card_id = inserted_card_id(reader)  # the same card must then answer for the password
    with card_errors():
        derived = ukey.derive_password(login, password, pin, expected_card_id=card_id, reader=reader)
    try:
        db = log_in(address, login, derived)
    except UserError as exc:
        if known or exc.key != "wrong_password":
            raise
        try:  # a card in the reader and a PIN typed by habit: maybe an ordinary account
            return _ordinary_login(address, login, password)
        except UserError as ordinary:
            raise UserError("ukey_or_password_wrong") if ordinary.key == "wrong_password" else ordinary from None
    try:
        db.ukey_session = UKeySession.start(login, card_id, pin, reader)
    except Exception:
        db.close()
        raise
    remember_card(address, login, card_id)
    return db


def _ordinary_login(address: ServerAddress, login: str, password: str) -> Database:
    db = log_in(address, login, password)
    forget_card(address, login)  # an ordinary password opened it: bound to no key (any more)
    return db
