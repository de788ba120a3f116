"""UKey: the USB smart card that a UKey account needs to log in.  No Qt, no database.

pyscard is optional (``pip install 'crm-desktop[ukey]'``); without it every call raises
``PyscardMissing``, while importing this package still works.
"""

from crm_desktop.ukey.card import CardState, bind_card, card_state, derive_password
from crm_desktop.ukey.errors import (
    CardBlocked,
    CardError,
    NoCard,
    NoReader,
    PinRequired,
    PyscardMissing,
    UKeyError,
    WrongCard,
    WrongPin,
)
from crm_desktop.ukey.pcsc import card_present, list_readers

__all__ = [
    "CardBlocked", "CardError", "CardState", "NoCard", "NoReader", "PinRequired", "PyscardMissing",
    "UKeyError", "WrongCard", "WrongPin",
    "bind_card", "card_present", "card_state", "derive_password", "list_readers",
]
