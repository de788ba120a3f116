"""The UKey protocol: card identity, PIN check and the on-card derivation of the database password.

APDUs (ISO 7816-4), all with CLA 00:
  VERIFY                 00 20 00 00 Lc <PIN, UTF-8>
  INTERNAL AUTHENTICATE  00 88 05 00 20 <32-byte challenge> 00
                         (P1 05: AES-ECB, P2 00: the card's own secret key; answer: 32 bytes)
The card's secret never leaves it, so only card + PIN + password give the database password.
Nothing computed here is stored, except the card id, which is a hash and opens nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from crm_desktop.ukey.errors import CardBlocked, CardError, NoCard, NoReader, PinRequired, WrongCard, WrongPin
from crm_desktop.ukey.pcsc import CardSession, open_card, readers_with_card

SW_OK = 0x9000
SW_WRONG_PIN_NO_COUNT = 0x6300  # vicc's stock card answers a wrong PIN without the tries left
SW_AUTH_BLOCKED = 0x6983
ALGORITHM_AES_ECB = 0x05
CARD_SECRET_KEY = 0x00
IDENTITY_CHALLENGE = hashlib.sha256(b"crm-desktop UKey card identity v1").digest()
PASSWORD_PREFIX = "ukey1_"  # marks a derived password, and its scheme version


@dataclass(frozen=True)
class CardState:
    """What a login screen shows: the reader in use, whether a card is in it, and which card."""

    reader: str | None
    card_present: bool
    card_id: str | None


def card_state(reader: str | None = None) -> CardState:
    """The reader holding a card (else the first reader), and the card's id; needs no PIN."""
    try:
        readers, holding = readers_with_card(reader)
        if not holding:
            return CardState(readers[0] if readers else None, False, None)
        with open_card(holding[0]) as card:
            return CardState(card.reader, True, _card_id(card))
    except NoReader:
        return CardState(None, False, None)
    except NoCard:  # pulled while we looked
        return CardState(reader, False, None)


def bind_card(pin: str, reader: str | None = None) -> str:
    """Check the PIN and return the card id to store with the account."""
    with open_card(reader) as card:
        _verify_pin(card, pin)
        return _card_id(card)


def derive_password(login: str, password: str, pin: str, expected_card_id: str | None = None,
                    reader: str | None = None) -> str:
    """The account's database password, computed on the card from the typed login and password."""
    with open_card(reader) as card:
        # Checked before VERIFY so a PIN is never tried, and tries never spent, on someone else's card.
        if expected_card_id is not None and not hmac.compare_digest(_card_id(card), expected_card_id):
            raise WrongCard()
        _verify_pin(card, pin)
        response = _internal_authenticate(card, login_digest(login, password))
    return PASSWORD_PREFIX + base64.urlsafe_b64encode(response).rstrip(b"=").decode("ascii")


def login_digest(login: str, password: str) -> bytes:
    """The 32-byte challenge; the NUL keeps ("ab", "c") and ("a", "bc") apart."""
    return hashlib.sha256(f"{login}\0{password}".encode()).digest()


def _card_id(card: CardSession) -> str:
    return hashlib.sha256(_internal_authenticate(card, IDENTITY_CHALLENGE)).hexdigest()


def _internal_authenticate(card: CardSession, challenge: bytes) -> bytes:
    apdu = bytes([0x00, 0x88, ALGORITHM_AES_ECB, CARD_SECRET_KEY, len(challenge)]) + challenge + b"\x00"
    response, sw = card.transmit(apdu, "INTERNAL AUTHENTICATE")
    if sw != SW_OK or len(response) != len(challenge):
        raise CardError("INTERNAL AUTHENTICATE", sw)
    return response


def _verify_pin(card: CardSession, pin: str) -> None:
    if not pin:
        raise PinRequired()
    encoded = pin.encode()
    card.reset_on_close = True  # whatever the answer: a card that took a VERIFY is reset afterwards
    _, sw = card.transmit(bytes([0x00, 0x20, 0x00, 0x00, len(encoded)]) + encoded, "VERIFY")
    if sw == SW_OK:
        return
    if sw in (SW_AUTH_BLOCKED, 0x63C0):
        raise CardBlocked()
    if sw & 0xFFF0 == 0x63C0:
        raise WrongPin(tries_left=sw & 0x0F)
    if sw == SW_WRONG_PIN_NO_COUNT:
        raise WrongPin(tries_left=None)
    raise CardError("VERIFY", sw)
