"""Named UKey errors.  ``key`` is the message-catalogue id; ``params`` fill its placeholders."""

from __future__ import annotations

INSTALL_HINT = (
    "pip install 'crm-desktop[ukey]' "
    "(on Linux run 'apt-get install pcscd libpcsclite-dev swig' first)"
)


class UKeyError(Exception):
    """Base of every UKey failure; the English text is for logs, dialogs use ``key``."""

    key = "ukey_card_error"
    default_text = "UKey error"

    def __init__(self, text: str | None = None):
        super().__init__(text or self.default_text)

    @property
    def params(self) -> dict[str, object]:
        return {}


class PyscardMissing(UKeyError):
    key = "ukey_pyscard_missing"
    default_text = f"UKey support is not installed: {INSTALL_HINT}"


class NoReader(UKeyError):
    key = "ukey_no_reader"
    default_text = "No smart-card reader (is the PC/SC service pcscd running?)"


class NoCard(UKeyError):
    key = "ukey_no_card"
    default_text = "No UKey in the reader"


class WrongCard(UKeyError):
    key = "ukey_wrong_card"
    default_text = "This UKey is not the one bound to the account"


class PinRequired(UKeyError):
    """Refused before the card sees it: some cards count an empty VERIFY as a wrong PIN."""

    key = "ukey_pin_required"
    default_text = "Enter the UKey PIN"


class WrongPin(UKeyError):
    key = "ukey_wrong_pin"

    def __init__(self, tries_left: int | None):
        self.tries_left = tries_left  # None: the card answered 6300 and did not say
        super().__init__(f"Wrong UKey PIN ({tries_left} tries left)")

    @property
    def params(self) -> dict[str, object]:
        return {"tries_left": self.tries_left}


class CardBlocked(UKeyError):
    key = "ukey_card_blocked"
    default_text = "The UKey PIN is blocked"


class CardError(UKeyError):
    key = "ukey_card_error"

    def __init__(self, what: str, sw: int | None = None):
        self.sw = sw
        status = f" (SW {sw:04X})" if sw is not None else ""
        super().__init__(f"UKey {what} failed{status}")

    @property
    def params(self) -> dict[str, object]:
        return {"sw": f"{self.sw:04X}" if self.sw is not None else ""}
