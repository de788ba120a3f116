"""The client's side of the bound on blocking: who it says it is, its own timeouts, the sweep from
crm-admin, and one retry after lock_timeout."""

from __future__ import annotations

import socket
import subprocess
import sys

import psycopg
import pytest
from sqlalchemy import text

from crm_desktop.db.blocking import retrying_once


def test_the_client_names_its_pc_and_sets_its_own_timeouts(login, address, superuser_url):
    # a timeout is only a default: the account can switch its own off for good (as psql would
    # connect, without the client's options)
    args = {k: v for k, v in address.connect_args("dengchao", "demo1234").items() if k != "options"}
    with psycopg.connect(**args, autocommit=True) as rogue:
        rogue.execute("alter role dengchao set lock_timeout = 0")
    try:
        with psycopg.connect(**args) as again:
            assert again.execute("show lock_timeout").fetchone() == ("0",)
        db = login("dengchao")
        with db.session() as s:
            assert s.execute(text("show lock_timeout")).scalar() == "45s"
            assert s.execute(text("show idle_in_transaction_session_timeout")).scalar() == "30s"
            name = s.execute(text("show application_name")).scalar()
        assert name == f"crm-desktop @{socket.gethostname()}"[:63]
    finally:
        with psycopg.connect(superuser_url, autocommit=True) as su:
            su.execute("alter role dengchao set lock_timeout = '45s'")


class LockTimeout(Exception):
    sqlstate = "55P03"


def test_a_unit_of_work_that_hit_lock_timeout_runs_once_more():
    calls = []

    def work():
        calls.append(1)
        if len(calls) < 3:
            raise LockTimeout()
        return "done"

    with pytest.raises(LockTimeout):
        retrying_once(work)  # twice at most
    assert len(calls) == 2
    assert retrying_once(work) == "done"

    def refused():
        calls.append(1)
        raise PermissionError()

    calls.clear()
    with pytest.raises(PermissionError):
        retrying_once(refused)
    assert len(calls) == 1


def test_crm_admin_sweeps_and_lists_sessions(superuser_url, raw_connect):
    idle = raw_connect("chenjing")
    run = [sys.executable, "-m", "crm_desktop.admin.cli", "sessions"]
    listed = subprocess.run([*run, "list", "--db", superuser_url], capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert any(line.split()[:2] == [str(idle.info.backend_pid), "chenjing"] for line in listed.stdout.splitlines())
    swept = subprocess.run([*run, "sweep", "--db", superuser_url], capture_output=True, text=True, timeout=120)
    assert swept.returncode == 0 and "ended 0 " in swept.stdout
    assert idle.execute("select 1").fetchone() == (1,)  # blocking nobody: left alone


def test_the_watch_forgets_statements_that_ended_or_failed(login):
    db = login("chenjing")
    with db.session() as s:
        s.execute(text("select 1"))
    with pytest.raises(Exception):
        with db.session() as s:
            s.execute(text("select * from crm.list_sessions()"))  # refused: no system.sessions
    with pytest.raises(Exception):
        with db.session() as s:
            s.execute(text("select 1/0"))
    assert db.watch.running == 0
