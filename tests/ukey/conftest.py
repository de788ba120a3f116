"""The real PC/SC stack for UKey tests: pcscd with Debian's vpcd driver, and virtual cards.

``pcsc_stack`` (session) runs ``pcscd -f``; ``virtual_card(name)`` makes a card file with its own
random key and returns a handle whose ``insert()`` starts ``virtual_ukey.py`` (vicc's ISO 7816 card)
in reader "Virtual PCD 00 00" and whose ``remove()`` stops it.  Nothing is skipped: a missing
package fails the run with the apt-get line that fixes it.
"""

from __future__ import annotations

import atexit
import glob
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from crm_desktop.ukey import NoReader, card_present, list_readers

READER = "Virtual PCD 00 00"
VPCD_PORT = 35963  # vpcd's first reader listens here on 127.0.0.1
VICC_DEFAULT_PIN = "1234"  # what vicc's iso7816 card is made with
START_TIMEOUT = 20.0
HERE = Path(__file__).parent
INSTALL = "apt-get install pcscd vsmartcard-vpcd vsmartcard-vpicc python3-virtualsmartcard (./test does: installers/debian-packages.txt)"


def wait_until(condition, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            pytest.fail(f"timed out waiting for {what}\n{detail}")
        time.sleep(0.05)


def virtualsmartcard_path() -> str:
    """Debian installs the package outside every sys.path, under .../site-packages/virtualsmartcard."""
    candidates = glob.glob("/usr/lib/python3*/site-packages/virtualsmartcard") + glob.glob(
        "/usr/lib/python3/dist-packages") + glob.glob("/usr/local/lib/python3*/site-packages")
    for candidate in candidates:
        if os.path.isfile(os.path.join(candidate, "virtualsmartcard", "VirtualSmartcard.py")):
            return candidate
    pytest.fail(f"virtualsmartcard not found: {INSTALL}")


def new_card_file(path: Path, pin: str) -> None:
    """A fresh card in virtual_ukey.py's card-file format, with its own random AES-128 key."""
    path.write_text(json.dumps({"pin": pin, "secret": os.urandom(16).hex(), "tries_left": 3}))


def reader_visible() -> bool:
    try:
        return READER in list_readers()
    except NoReader:
        return False


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class PcscStack:
    """pcscd (ours, or one already running with vpcd) and at most one inserted card."""

    log_dir: Path
    pcscd: subprocess.Popen | None = None
    card_process: subprocess.Popen | None = None
    inserted: Path | None = None

    def start(self) -> None:
        if reader_visible():
            return  # a pcscd with vpcd already serves this machine: a second one would refuse to start
        log = self.log_dir / "pcscd.log"
        help_text = subprocess.run(["pcscd", "--help"], capture_output=True, text=True).stdout
        polkit = ["--disable-polkit"] if "--disable-polkit" in help_text else []
        self.pcscd = subprocess.Popen(["pcscd", "-f", *polkit], stdout=log.open("w"), stderr=subprocess.STDOUT,
                                      start_new_session=True)
        wait_until(reader_visible, f"pcscd to show reader {READER!r}", log)

    def insert(self, card_file: Path) -> None:
        self.insert_card_program(card_file.stem, [str(HERE / "virtual_ukey.py"), str(card_file),
                                                  "--port", str(VPCD_PORT)])
        self.inserted = card_file

    def insert_stock_vicc(self) -> None:
        """Debian's own ``vicc -t iso7816``: a new random key each time, PIN 1234."""
        self.insert_card_program("vicc", ["/usr/bin/vicc", "-t", "iso7816", "-H", "127.0.0.1", "-P", str(VPCD_PORT)])

    def insert_card_program(self, name: str, args: list[str]) -> None:
        self.remove()
        log = self.log_dir / f"card-{name}.log"
        env = dict(os.environ, PYTHONPATH=virtualsmartcard_path())
        # sys.executable: Debian's python3 has only Cryptodome, vicc imports Crypto (pip's pycryptodome)
        self.card_process = subprocess.Popen([sys.executable, *args], env=env, stdout=log.open("w"),
                                             stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(lambda: card_present(READER), f"card {name} in {READER!r}", log)

    def remove(self) -> None:
        if self.card_process is None:
            return
        stop(self.card_process)
        self.card_process, self.inserted = None, None
        wait_until(lambda: not card_present(READER), f"the card to leave {READER!r}")

    def stop(self) -> None:
        stop(self.card_process)
        stop(self.pcscd)
        self.card_process = self.pcscd = None


@dataclass
class VirtualCard:
    """One card: its own key in ``path``; ``insert()`` pulls whatever card was in the reader."""

    name: str
    path: Path
    pin: str
    stack: PcscStack = field(repr=False)

    def insert(self) -> None:
        self.stack.insert(self.path)

    def remove(self) -> None:
        if self.stack.inserted == self.path:
            self.stack.remove()


@pytest.fixture(scope="session")
def pcsc_stack(tmp_path_factory):
    stack = PcscStack(tmp_path_factory.mktemp("pcsc"))
    atexit.register(stack.stop)  # a backstop for runs that end without fixture teardown
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def virtual_card(pcsc_stack, tmp_path):
    """Factory: ``virtual_card(name='A', pin='1234')``; the same name in one test is the same card."""
    cards: dict[str, VirtualCard] = {}

    def make(name: str = "A", pin: str = VICC_DEFAULT_PIN) -> VirtualCard:
        if name not in cards:
            path = tmp_path / f"{name}.card"
            new_card_file(path, pin)
            cards[name] = VirtualCard(name, path, pin, pcsc_stack)
        return cards[name]

    yield make
    pcsc_stack.remove()
