"""A standby and failover with PostgreSQL's own streaming replication, on two embedded servers on
127.0.0.1: written on the primary, read on the standby; the primary killed with SIGKILL in the
middle of a stream of commits; the standby promoted; a client whose profile lists both hosts
reconnects by itself, LISTEN included; with --sync every acknowledged commit is on the new primary.
(The loss without --sync is measured by benchmarks/failover_bench.py.)"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from failover_drill import ACCOUNT, PASSWORD, client_query, drill, make_pair

from crm_desktop.admin import backup, standby
from crm_desktop.admin.cli import main
from crm_desktop.messages import UserError, text
from crm_desktop.ui.customer.customer_form import CustomerForm

pytestmark = pytest.mark.slow


@pytest.fixture
def pair(superuser_url):
    # not under pytest's basetemp: every pytest run on this machine makes /tmp/pytest-of-<user>
    # 0700 again, and the servers run as another user when the tests run as root
    root = Path(tempfile.mkdtemp(prefix="crm-failover-"))
    seeded = backup.backup(superuser_url, root / "seeded.crmbackup").file  # faster than migrating anew
    made = make_pair(root, sync=True, backup_file=seeded)
    yield made
    made.stop()
    shutil.rmtree(root, ignore_errors=True)


def _eventually(check, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_synchronous_standby_takes_over_without_losing_an_acknowledged_commit(pair, qtbot, capsys):
    from crm_desktop.db.notify import ChangeBridge
    from crm_desktop.services.auth import log_in

    primary_url, standby_url = pair.primary_info.url(), pair.standby_info.url()
    # written on the primary, read on the standby (hot standby: read-only)
    with psycopg.connect(primary_url, autocommit=True) as su:
        su.execute("insert into public.drill_commit (n) values (0)")
    with psycopg.connect(standby_url, autocommit=True) as ro:
        _eventually(lambda: ro.execute("select count(*) from public.drill_commit").fetchone()[0] == 1)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            ro.execute("insert into public.drill_commit (n) values (-1)")
    with psycopg.connect(primary_url, autocommit=True) as su:
        su.execute("delete from public.drill_commit")

    assert main(["server", "status", "--data", str(pair.primary.data)]) == 0
    assert main(["server", "status", "--data", str(pair.standby.data)]) == 0
    out = capsys.readouterr().out
    assert "role: primary (synchronous: crm_standby)" in out and "streaming, sync" in out
    assert f"role: standby of 127.0.0.1:{pair.primary_info.port} (streaming" in out

    client = log_in(pair.both_hosts, ACCOUNT, PASSWORD)  # the profile lists both hosts
    try:
        assert client_query(client)[1] == pair.primary_info.port  # read-write: the primary, not the standby
        form = CustomerForm(client, None)  # a user is typing a new customer when the server dies
        qtbot.addWidget(form)
        with qtbot.waitSignal(form.sig_loaded, timeout=10_000):
            pass
        form.show()
        typed = "断线期间录入的客户有限公司"
        form.edits["name"].setText(typed)
        form.edits["phone"].setText("020-55501234")
        sentences: list[str] = []

        def save_while_the_server_is_down():
            with qtbot.waitSignal(form.sig_failed, timeout=30_000) as failed:
                form.save()
            sentences.append(failed.args[0])

        bridge = ChangeBridge(client)
        with qtbot.waitSignal(bridge.sig_listening, timeout=10_000):
            bridge.start()
        try:
            with qtbot.waitSignal(bridge.sig_listening, timeout=60_000):
                figures = drill(pair, client, during_outage=save_while_the_server_is_down)
            assert figures["commits_acknowledged"] > 20, figures
            assert figures["acknowledged_but_lost"] == 0, figures  # --sync: nothing acknowledged is lost
            assert figures["client_port"] == pair.standby_info.port
            assert client_query(client) == (client.account_id, pair.standby_info.port)
            # the form kept what was typed; saving again goes to the new primary
            assert sentences == [text("connection_lost")]
            assert form.edits["name"].text() == typed and form.edits["phone"].text() == "020-55501234"
            with qtbot.waitSignal(form.sig_saved, timeout=20_000) as saved:
                form.save()
            with psycopg.connect(standby_url) as su:
                assert su.execute("select name, phone from crm.customer where id = %s",
                                  (saved.args[0]["id"],)).fetchone() == (typed, "020-55501234")
            # LISTEN re-established on the new primary
            with qtbot.waitSignal(bridge.sig_changed, timeout=10_000,
                                  check_params_cb=lambda *args: list(args) == ["customer", "update", 7]) as changed:
                with psycopg.connect(standby_url, autocommit=True) as su:
                    su.execute("""select pg_notify('crm_changes', '{"table": "customer", "op": "update", "id": 7}')""")
            assert changed.args == ["customer", "update", 7]
        finally:
            bridge.stop()
    finally:
        client.close()
    assert main(["server", "status", "--data", str(pair.standby.data)]) == 0
    assert "role: primary" in capsys.readouterr().out
    with pytest.raises(UserError) as refused:
        standby.promote(pair.standby.data)
    assert refused.value.key == "standby_not_a_standby"
