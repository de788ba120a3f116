"""The PC/SC layer over pyscard's low-level ``scard`` module: readers, presence, one card session.

pyscard is optional (the ``[ukey]`` extra), so it is imported on first use and its absence becomes
``PyscardMissing``.  Every PC/SC result code is mapped here to a named UKey error.

Card sessions of this process run one at a time (``_SESSION_LOCK``): the login dialog's reader
watcher and a login or unlock on a worker thread would otherwise overlap, and the first session's
reset at disconnect makes the second fail (``SCARD_W_RESET_CARD`` at BEGIN TRANSACTION, or, since
pcsc-lite hands the reader on before the reset is over, ``SCARD_E_PROTO_MISMATCH`` at its first
APDU) — seen as a login that failed with "UKey read error" right after a wrong PIN.  A reset made by
another program before our first APDU is acknowledged (SCardReconnect) and the step retried.
The card is reset at disconnect only after a VERIFY: a reset is what closes a verified PIN, and
resetting a card that is being pulled confuses some reader drivers (vpcd stops seeing new cards).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from crm_desktop.ukey.errors import CardError, NoCard, NoReader, PyscardMissing

GET_RESPONSE = bytes.fromhex("00C00000")
SESSION_WAIT_S = 30.0  # a session is a few APDUs; longer means a stuck reader
RESET_RETRIES = 3  # acknowledging another program's reset, before our first APDU only
_SESSION_LOCK = threading.Lock()


def _scard():
    try:
        from smartcard import scard
    except ImportError as exc:
        raise PyscardMissing() from exc
    return scard


def _succeeded(scard, hresult: int) -> bool:
    return hresult == scard.SCARD_S_SUCCESS


def _raise_for(scard, hresult: int, what: str) -> None:
    if _succeeded(scard, hresult):
        return
    if hresult in (scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD):
        raise NoCard()
    if hresult in (scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_NO_READERS_AVAILABLE,
                   scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_READER_UNAVAILABLE):
        raise NoReader()
    raise CardError(f"{what} ({scard.SCardGetErrorMessage(hresult)})")


@contextmanager
def _context():
    scard = _scard()
    hresult, hcontext = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    _raise_for(scard, hresult, "PC/SC context")
    try:
        yield scard, hcontext
    finally:
        scard.SCardReleaseContext(hcontext)


def _readers(scard, hcontext) -> list[str]:
    hresult, readers = scard.SCardListReaders(hcontext, [])
    if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
        return []
    _raise_for(scard, hresult, "listing readers")
    return list(readers)


def _readers_with_card(scard, hcontext, readers: list[str]) -> list[str]:
    # Timeout 0 with state UNAWARE returns the current state at once: cheap enough for a 500 ms poll.
    hresult, states = scard.SCardGetStatusChange(hcontext, 0, [(r, scard.SCARD_STATE_UNAWARE) for r in readers])
    _raise_for(scard, hresult, "reader status")
    return [name for name, event, _atr in states if event & scard.SCARD_STATE_PRESENT]


def list_readers() -> list[str]:
    """Names of the attached readers; NoReader when the PC/SC service is not running."""
    with _context() as (scard, hcontext):
        return _readers(scard, hcontext)


def readers_with_card(reader: str | None = None) -> tuple[list[str], list[str]]:
    """(readers, those holding a card), limited to ``reader`` when given."""
    with _context() as (scard, hcontext):
        readers = [reader] if reader else _readers(scard, hcontext)
        return readers, (_readers_with_card(scard, hcontext, readers) if readers else [])


def card_present(reader: str | None = None) -> bool:
    """Whether a card sits in ``reader`` (any reader when None); never raises for a missing reader."""
    try:
        return bool(readers_with_card(reader)[1])
    except NoReader:
        return False


def _was_reset(scard, hresult: int) -> bool:
    """The card was reset (by another handle) since we connected: reconnect before using it."""
    return hresult in (scard.SCARD_W_RESET_CARD, scard.SCARD_E_PROTO_MISMATCH)


class CardSession:
    """One connected card inside a PC/SC transaction; ``transmit`` returns (data, status word).

    ``reset_on_close`` is set before a VERIFY, so the card is reset when the session ends."""

    def __init__(self, scard, hcard: int, protocol: int, reader: str):
        self._scard, self._hcard, self._protocol, self.reader = scard, hcard, protocol, reader
        self.reset_on_close = False
        self._answered = False  # no APDU has reached the card yet: a reset so far lost nothing

    def transmit(self, apdu: bytes, what: str) -> tuple[bytes, int]:
        data, sw = self._exchange(apdu, what)
        while sw >> 8 == 0x61:  # T=0 cards hand long answers out piecewise
            more, sw = self._exchange(GET_RESPONSE + bytes([sw & 0xFF]), what)
            data += more
        return data, sw

    def _exchange(self, apdu: bytes, what: str) -> tuple[bytes, int]:
        hresult, response = self._scard.SCardTransmit(self._hcard, self._protocol, list(apdu))
        retries = 0 if self._answered else RESET_RETRIES
        while retries and _was_reset(self._scard, hresult):
            retries -= 1
            self._protocol = _reconnect(self._scard, self._hcard)
            hresult, response = self._scard.SCardTransmit(self._hcard, self._protocol, list(apdu))
        _raise_for(self._scard, hresult, what)
        if len(response) < 2:
            raise CardError(f"{what} (short answer)")
        self._answered = True
        return bytes(response[:-2]), response[-2] << 8 | response[-1]


def _reconnect(scard, hcard: int) -> int:
    """Acknowledge a reset made by someone else (the card is left as it is); the active protocol."""
    hresult, protocol = scard.SCardReconnect(hcard, scard.SCARD_SHARE_SHARED,
                                             scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
                                             scard.SCARD_LEAVE_CARD)
    _raise_for(scard, hresult, "reconnect")
    return protocol


def _begin_transaction(scard, hcard: int, protocol: int) -> int:
    hresult = scard.SCardBeginTransaction(hcard)
    for _ in range(RESET_RETRIES):
        if not _was_reset(scard, hresult):
            break
        protocol = _reconnect(scard, hcard)
        hresult = scard.SCardBeginTransaction(hcard)
    _raise_for(scard, hresult, "transaction")
    return protocol


def _reader_for_session(scard, hcontext, reader: str | None) -> str:
    readers = [reader] if reader else _readers(scard, hcontext)
    if not readers:
        raise NoReader()
    holding = _readers_with_card(scard, hcontext, readers)
    if not holding:
        raise NoCard()
    return holding[0]


@contextmanager
def _one_session_at_a_time() -> Iterator[None]:
    if not _SESSION_LOCK.acquire(timeout=SESSION_WAIT_S):
        raise CardError("session (the reader is busy)")
    try:
        yield
    finally:
        _SESSION_LOCK.release()


@contextmanager
def open_card(reader: str | None = None) -> Iterator[CardSession]:
    """Connect to the card in ``reader`` (the first reader holding one when None)."""
    with _one_session_at_a_time(), _context() as (scard, hcontext):
        name = _reader_for_session(scard, hcontext, reader)
        hresult, hcard, protocol = scard.SCardConnect(
            hcontext, name, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
        _raise_for(scard, hresult, "connect")
        session = CardSession(scard, hcard, protocol, name)
        try:
            # The transaction keeps other programs from slipping an APDU between VERIFY and the use of the PIN.
            session._protocol = _begin_transaction(scard, hcard, protocol)
            yield session
        finally:
            # After a VERIFY: reset, so a verified PIN does not stay open for the next program.  Either
            # way the disconnect ends the transaction.
            scard.SCardDisconnect(hcard, scard.SCARD_RESET_CARD if session.reset_on_close else scard.SCARD_LEAVE_CARD)
