"""Issue 9 item 5: any role may NOTIFY crm_changes with any payload; clients take them as hints.

An account with no role at all (dengchao) sends malformed payloads and floods of well-formed
forgeries over a raw psycopg connection.  The listening client's bridge ignores what no trigger
could have sent, never crashes, and passes hints on at a bounded rate (a flood becomes one
"refresh everything"), while real changes still arrive.
"""

from __future__ import annotations

import json
import time

import pytest

from crm_desktop.db import notify
from crm_desktop.db.notify import CHANNEL, ChangeBridge

WAIT = 15_000
MALFORMED = [
    "not json",
    "[1]",
    '"customer"',
    json.dumps({"table": "customer; drop table crm.customer", "op": "update", "id": 1}),
    json.dumps({"table": "customer", "op": "explode", "id": 1}),
    json.dumps({"table": "customer", "op": "update", "id": {"nested": [1, 2]}}),
    json.dumps({"table": "customer", "op": "update", "id": True}),
    json.dumps({"table": "customer", "op": "update", "id": "x" * 200}),
    json.dumps({"table": "customer", "op": "update", "id": 1, "name": "假数据" * 300}),
    json.dumps({"op": "update", "id": 1}),
]


class Recorder:
    """What the bridge delivered to the GUI thread, with the time of each delivery."""

    def __init__(self, bridge: ChangeBridge):
        self.changed: list[tuple[float, tuple]] = []
        self.refresh_all: list[float] = []
        bridge.sig_changed.connect(lambda *hint: self.changed.append((time.monotonic(), hint)))
        bridge.sig_listening.connect(lambda: self.refresh_all.append(time.monotonic()))

    def last(self) -> float:
        return max([t for t, _hint in self.changed] + self.refresh_all + [0.0])


@pytest.fixture
def bridge(qtbot, login):
    changes = ChangeBridge(login("wangfang"))
    with qtbot.waitSignal(changes.sig_listening, timeout=WAIT):
        changes.start()
    yield changes
    changes.stop()
    assert not changes.running


def test_malformed_payloads_are_ignored_and_the_bridge_lives_on(qtbot, bridge, raw_connect):
    seen = Recorder(bridge)
    forger = raw_connect("dengchao")
    for payload in MALFORMED:
        forger.execute("select pg_notify(%s, %s)", (CHANNEL, payload))
    forger.execute(f"notify {CHANNEL}, 'plain text'")
    sentinel = ("customer", "update", 424242)
    with qtbot.waitSignal(bridge.sig_changed, timeout=WAIT, check_params_cb=lambda *h: h == sentinel):
        forger.execute("select pg_notify(%s, %s)", (CHANNEL, json.dumps(dict(zip(("table", "op", "id"), sentinel)))))
    assert [hint for _t, hint in seen.changed] == [sentinel]
    assert bridge.running


def test_a_flood_of_forgeries_reaches_the_gui_at_a_bounded_rate(qtbot, bridge, raw_connect, admin_db, unique):
    seen = Recorder(bridge)
    forger = raw_connect("dengchao")
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < 2.0:  # two seconds of forgeries, thousands a second
        forger.execute("""select pg_notify(%s, json_build_object('table', 'customer', 'op', 'update',
                                                                  'id', g)::text)
                          from generate_series(%s::int, %s::int) g""", (CHANNEL, sent, sent + 999))
        sent += 1000
    # the backlog is drained: a "refresh everything" came, then quiet
    qtbot.waitUntil(lambda: bool(seen.refresh_all) and time.monotonic() - seen.last() > 1.0, timeout=60_000)
    elapsed = seen.last() - started
    assert sent >= 5000
    flushes = elapsed / notify.FLUSH_SECONDS + 2
    assert len(seen.changed) <= notify.MAX_HINTS * flushes
    assert 1 <= len(seen.refresh_all) <= flushes  # the flood became "refresh everything", a few times
    assert len(seen.changed) + len(seen.refresh_all) < sent / 50

    # a real change afterwards still arrives, named
    from crm_desktop.services import org

    departments = {d["name"]: d["id"] for d in org.list_departments(admin_db)}
    with qtbot.waitSignal(bridge.sig_changed, timeout=WAIT,
                          check_params_cb=lambda table, op, _id: (table, op) == ("position", "insert")):
        created = org.save_position(admin_db, {"department_id": departments["行政人事部"], "name": f"通知{unique}"})
    org.delete_position(admin_db, created["id"])
    assert bridge.running


def test_a_burst_of_the_same_hint_is_one_delivery(qtbot, bridge, raw_connect):
    seen = Recorder(bridge)
    forger = raw_connect("dengchao")
    payload = json.dumps({"table": "customer", "op": "update", "id": 7})
    # one transaction would fold identical payloads by itself: 200 autocommit statements don't
    for _ in range(200):
        forger.execute("select pg_notify(%s, %s)", (CHANNEL, payload))
    qtbot.wait(int(notify.FLUSH_SECONDS * 3000))
    hints = [hint for _t, hint in seen.changed]
    assert hints and set(hints) == {("customer", "update", 7)}
    assert len(hints) <= 4  # once per flush at most, not 200 times
