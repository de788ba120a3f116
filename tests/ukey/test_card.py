"""The UKey layer against a real pcscd and virtual cards in reader "Virtual PCD 00 00"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm_desktop import ukey
READER = "Virtual PCD 00 00"  # vpcd's first reader, where the virtual cards go
LOGIN, PASSWORD = "chenjing", "demo1234"


def run_python(script: str, **env: str) -> str:
    """Run ``script`` in a fresh interpreter (for what one process cannot undo) and return its output."""
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parents[2], env=dict(os.environ, **env)).stdout


def test_vpcd_readers_are_listed(pcsc_stack):
    assert READER in ukey.list_readers()


def test_card_presence_follows_insert_and_remove(virtual_card):
    card = virtual_card("A")
    assert not ukey.card_present(READER)
    assert ukey.card_state(READER) == ukey.CardState(READER, False, None)

    card.insert()
    assert ukey.card_present(READER) and ukey.card_present()
    state = ukey.card_state()
    assert (state.reader, state.card_present, len(state.card_id)) == (READER, True, 64)

    card.remove()
    assert not ukey.card_present()


def test_unknown_reader_is_not_present(pcsc_stack):
    assert not ukey.card_present("No Such Reader 00 00")


def test_no_card_is_a_named_error(virtual_card):
    virtual_card("A")
    with pytest.raises(ukey.NoCard) as raised:
        ukey.derive_password(LOGIN, PASSWORD, "1234")
    assert raised.value.key == "ukey_no_card"


def test_card_id_is_stable_per_card_and_differs_between_cards(virtual_card):
    card_a, card_b = virtual_card("A"), virtual_card("B")
    card_a.insert()
    id_a = ukey.bind_card(card_a.pin)
    card_b.insert()
    id_b = ukey.bind_card(card_b.pin)
    card_a.insert()
    assert ukey.card_state().card_id == id_a != id_b


def expected_password(card, login: str, password: str) -> str:
    """What the card must answer, computed here from the card file's own AES-128 key (independently of
    crm_desktop.ukey): AES-ECB of SHA-256(login NUL password), base64url without padding."""
    import base64
    import hashlib
    import json

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    secret = bytes.fromhex(json.loads(card.path.read_text())["secret"])
    encryptor = Cipher(algorithms.AES(secret), modes.ECB()).encryptor()
    answer = encryptor.update(hashlib.sha256(f"{login}\0{password}".encode()).digest()) + encryptor.finalize()
    return "ukey1_" + base64.urlsafe_b64encode(answer).rstrip(b"=").decode()


def test_derived_password_is_deterministic_and_tied_to_card_and_password(virtual_card):
    card_a, card_b = virtual_card("A"), virtual_card("B")
    card_a.insert()
    first = ukey.derive_password(LOGIN, PASSWORD, card_a.pin)
    # the card's own answer, not the function compared with itself (issue 17)
    assert first == expected_password(card_a, LOGIN, PASSWORD)
    assert first.startswith("ukey1_") and len(first) == len("ukey1_") + 43
    assert ukey.derive_password(LOGIN, PASSWORD, card_a.pin) == first
    assert ukey.derive_password(LOGIN, "other", card_a.pin) != first
    assert ukey.derive_password("chen", "jing" + PASSWORD, card_a.pin) != first
    card_a.remove()
    card_a.insert()  # pulled and re-inserted: still the same card
    assert ukey.derive_password(LOGIN, PASSWORD, card_a.pin) == first
    card_b.insert()
    assert ukey.derive_password(LOGIN, PASSWORD, card_b.pin) == expected_password(card_b, LOGIN, PASSWORD) != first


def test_wrong_card_is_refused_before_the_pin_is_tried(virtual_card):
    card_a, card_b = virtual_card("A"), virtual_card("B")
    card_a.insert()
    bound = ukey.bind_card(card_a.pin)
    card_b.insert()
    with pytest.raises(ukey.WrongCard) as raised:
        ukey.derive_password(LOGIN, PASSWORD, "0000", expected_card_id=bound)
    assert raised.value.key == "ukey_wrong_card"
    assert ukey.derive_password(LOGIN, PASSWORD, card_b.pin)  # B's tries were not spent
    card_a.insert()
    assert ukey.derive_password(LOGIN, PASSWORD, card_a.pin, expected_card_id=bound)


def test_wrong_pins_count_down_then_block_the_card(virtual_card):
    virtual_card("A").insert()
    for tries_left in (2, 1):
        with pytest.raises(ukey.WrongPin) as raised:
            ukey.derive_password(LOGIN, PASSWORD, "9999")
        assert (raised.value.key, raised.value.tries_left) == ("ukey_wrong_pin", tries_left)
    with pytest.raises(ukey.CardBlocked) as raised:
        ukey.derive_password(LOGIN, PASSWORD, "9999")
    assert raised.value.key == "ukey_card_blocked"
    with pytest.raises(ukey.CardBlocked):
        ukey.bind_card("1234")  # even the right PIN: blocked stays blocked


def test_right_pin_restores_the_tries(virtual_card):
    card = virtual_card("A", pin="246810")
    card.insert()
    with pytest.raises(ukey.WrongPin):
        ukey.bind_card("1234")
    ukey.bind_card(card.pin)
    with pytest.raises(ukey.WrongPin) as raised:
        ukey.bind_card("1234")
    assert raised.value.tries_left == 2


def test_empty_pin_never_reaches_the_card(virtual_card):
    virtual_card("A").insert()
    with pytest.raises(ukey.PinRequired):
        ukey.bind_card("")
    with pytest.raises(ukey.WrongPin) as raised:
        ukey.bind_card("0000")
    assert raised.value.tries_left == 2


def test_stock_vicc_card_works_and_its_wrong_pin_has_no_count(pcsc_stack):
    try:
        pcsc_stack.insert_stock_vicc()
        assert ukey.derive_password(LOGIN, PASSWORD, "1234") == ukey.derive_password(LOGIN, PASSWORD, "1234")
        with pytest.raises(ukey.WrongPin) as raised:
            ukey.derive_password(LOGIN, PASSWORD, "9999")
        assert raised.value.tries_left is None
    finally:
        pcsc_stack.remove()


def test_missing_pyscard_names_the_install_command():
    script = (
        "import sys; sys.modules['smartcard'] = None\n"
        "from crm_desktop.ukey import PyscardMissing, card_present\n"
        "try:\n    card_present()\n"
        "except PyscardMissing as error:\n    print(error.key); print(error)\n"
    )
    key, message = run_python(script).splitlines()
    assert key == "ukey_pyscard_missing"
    assert "pip install 'crm-desktop[ukey]'" in message
    assert "apt-get install pcscd libpcsclite-dev swig" in message


def test_without_pcsc_service_the_reader_is_missing():
    script = (
        "from crm_desktop import ukey\n"
        "print(ukey.card_state() == ukey.CardState(None, False, None), ukey.card_present())\n"
        "try:\n    ukey.derive_password('a', 'b', '1234')\n"
        "except ukey.NoReader as error:\n    print(error.key)\n"
    )
    # libpcsclite looks for pcscd at this socket: pointing it nowhere is a machine without the service
    out = run_python(script, PCSCLITE_CSOCK_NAME="/nonexistent/pcscd.comm")
    assert out.splitlines() == ["True False", "ukey_no_reader"]
