"""A virtual UKey: vicc's ISO 7816 card whose secret key, PIN and tries left live in a card file.

Why not plain ``vicc -t iso7816 -f FILE``: Debian's vicc 0.8 parses ``-f`` but never uses it and
draws a new random key at every start, so a card pulled and re-inserted would be a different card.
Its wrong-PIN answer is 6300 (no count); real cards answer 63Cx, which this card does.
Everything else (APDU dispatch, INTERNAL AUTHENTICATE, the vpcd socket) is vicc's own code.

    python virtual_ukey.py CARD_FILE [--port 35963]

Run it with an interpreter that has pycryptodome, with PYTHONPATH set to the directory that holds
the ``virtualsmartcard`` package.  A card file is JSON written by conftest.new_card_file:
{"pin": "1234", "secret": "<32 hex: the card's AES-128 key>", "tries_left": 3}.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from virtualsmartcard.ConstantDefinitions import FDB
from virtualsmartcard.SmartcardFilesystem import MF
from virtualsmartcard.SmartcardSAM import SAM
from virtualsmartcard.SWutils import SW, SW_MESSAGES, SwError
from virtualsmartcard.VirtualSmartcard import Iso7816OS, VirtualICC

PIN_TRIES = 3
for _left in range(16):
    SW_MESSAGES.setdefault(0x63C0 + _left, f"Verification failed, {_left} tries left")


class CardFileSAM(SAM):
    """vicc's SAM with its secret and PIN counter kept in the card file, as on a real chip."""

    def __init__(self, card_file: Path):
        self.card_file = card_file
        card = json.loads(card_file.read_text())
        super().__init__(card["pin"].encode(), b"0", cardSecret=bytes.fromhex(card["secret"]))
        self.counter = card["tries_left"]

    def verify(self, p1, p2, PIN):
        if p1 != 0x00:
            raise SwError(SW["ERR_INCORRECTP1P2"])
        if self.counter == 0:
            raise SwError(SW["ERR_AUTHBLOCKED"])
        self._save_counter(PIN_TRIES if PIN.replace(b"\0", b"") == self.PIN else self.counter - 1)
        if self.counter < PIN_TRIES:
            raise SwError(0x63C0 + self.counter)
        return SW["NORMAL"], b""

    def _save_counter(self, counter: int) -> None:
        self.counter = counter
        card = json.loads(self.card_file.read_text())
        card["tries_left"] = counter
        self.card_file.write_text(json.dumps(card))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("card_file", type=Path)
    parser.add_argument("--port", type=int, default=35963)
    args = parser.parse_args()
    vicc = VirtualICC(None, "iso7816", "127.0.0.1", args.port, logginglevel=logging.ERROR)
    mf = MF(filedescriptor=FDB["DF"])
    sam = CardFileSAM(args.card_file)
    sam.set_MF(mf)
    vicc.os = Iso7816OS(mf, sam)  # replaced before run(): no APDU has reached the stock card yet
    vicc.run()


if __name__ == "__main__":
    main()
