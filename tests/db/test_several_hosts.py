"""A connection profile naming a primary and its standby: libpq's host list with
target_session_attrs=read-write, and the TLS check skipping the server that does not answer."""

from __future__ import annotations

import socket

import psycopg

from crm_desktop.config import parse_server
from crm_desktop.db import tls
from crm_desktop.db.connection import ServerAddress, parse_hosts


def test_hosts_with_and_without_their_own_ports():
    assert parse_hosts("a", 5432) == [("a", 5432)]
    assert parse_hosts("a, b", 5433) == [("a", 5433), ("b", 5433)]
    assert parse_hosts("a:1,[::1]:2,[fe80::1],b", 9) == [("a", 1), ("::1", 2), ("fe80::1", 9), ("b", 9)]
    args = ServerAddress("10.0.0.1:5432,10.0.0.2:5433").connect_args("chenjing", "pw")
    assert (args["host"], args["port"], args["target_session_attrs"]) == ("10.0.0.1,10.0.0.2", "5432,5433", "read-write")
    single = ServerAddress("10.0.0.1", 5432).connect_args("chenjing", "pw")
    assert single["port"] == 5432 and "target_session_attrs" not in single
    profile = parse_server("10.0.0.1:5432,10.0.0.2/crm")
    assert profile.address().endpoints() == [("10.0.0.1", 5432), ("10.0.0.2", 5432)]
    assert parse_server("10.0.0.1:5433").address().endpoints() == [("10.0.0.1", 5433)]


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_client_listing_a_dead_host_first_logs_in_on_the_live_one(address):
    from crm_desktop.services.auth import log_in

    both = ServerAddress(f"127.0.0.1:{_dead_port()},127.0.0.1:{address.port}", 5432, address.database)
    assert tls.secure_address(both) == both  # loopback without TLS; the dead one skipped
    db = log_in(both, "chenjing", "demo1234")
    try:
        assert db.account_id is not None
    finally:
        db.close()
    conn = psycopg.connect(**both.connect_args("chenjing", "demo1234"))
    try:
        assert conn.execute("select inet_server_port()").fetchone()[0] == address.port
    finally:
        conn.close()
