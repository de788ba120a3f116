"""The organisation tree dock: what it shows, drag-and-drop assignment decided by the database,
and live refresh through LISTEN/NOTIFY."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent

from crm_desktop import messages
from crm_desktop.app import guard_against_pyside_emit_refcount_bug
from crm_desktop.db.notify import ChangeBridge, parse_payload
from crm_desktop.services import account, org
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.org.tree_dock import ACCOUNT_MIME, OrgTreeDock

guard_against_pyside_emit_refcount_bug()  # PySide6 6.12.0 loses a reference per emit; see app.py

WAIT = 10_000


@pytest.fixture
def open_dock(qtbot):
    def _open(db) -> OrgTreeDock:
        dock = OrgTreeDock(db)
        qtbot.addWidget(dock)
        dock.resize(320, 700)
        dock.show()
        with qtbot.waitSignal(dock.sig_refreshed, timeout=WAIT):
            dock.refresh()
        return dock

    yield _open
    assert cancel_all_and_wait(WAIT)


def position_id(db, department: str, name: str) -> int:
    departments = {d["name"]: d["id"] for d in org.list_departments(db)}
    return next(p["id"] for p in org.list_positions(db, departments[department]) if p["name"] == name)


def main_position(db, account_id: int) -> int | None:
    return next((p.position_id for p in account.get_account(db, account_id)["positions"] if p.is_main), None)


@pytest.fixture
def newcomer(admin_db, unique) -> int:
    """An account of its own, in 销售一部 as 销售代表, so drops change nothing other tests read."""
    start = account.PositionAssignment(position_id(admin_db, "销售一部", "销售代表"), True)
    return account.create_account(admin_db, {"login": f"tree{unique}", "name": f"新人{unique}"}, "demo1234",
                                  positions=[start])


def test_the_tree_shows_organisations_departments_positions_and_accounts(open_dock, login):
    dock = open_dock(login("zhangmc"))
    tops = [dock.tree.topLevelItem(i).text(0) for i in range(dock.tree.topLevelItemCount())]
    assert tops[:2] == ["全程软件", "全程软件广州分公司"]
    hq = dock.tree.topLevelItem(0)
    office = hq.child(0)
    assert office.text(0) == "总经理办公室"
    children = [office.child(i).text(0) for i in range(office.childCount())]
    assert children[0] == "总经理" and "销售部" in children
    gm = office.child(0)
    assert gm.toolTip(0) and gm.child(0).text(0) == "张美春 (zhangmc)"  # a manager position, and who holds it
    assert [i.text(0) for i in dock.find_items("account", name="高月")] == ["高月 (gaoyue)", "高月 (gaoyue, concurrent)"]


def test_the_filter_keeps_matches_and_the_path_to_them(open_dock, login):
    dock = open_dock(login("chenjing"))
    dock.filter_edit.setText("陈静")
    visible = [i.text(0) for i in dock._all_items() if not i.isHidden()]
    assert set(visible) == {"全程软件", "总经理办公室", "销售部", "销售一部", "销售代表", "陈静 (chenjing)"}
    dock.filter_edit.clear()
    assert not any(i.isHidden() for i in dock._all_items())


def drop(dock: OrgTreeDock, account_id: int, target_position: int, ctrl: bool = False) -> None:
    """What Qt delivers when an account is dropped on a position item (with Ctrl: concurrent)."""
    item = dock.find_items("position", target_position)[0]
    dock.tree.scrollToItem(item)
    point = QPointF(dock.tree.visualItemRect(item).center())
    source = dock.find_items("account", account_id)[0]
    data = dock.tree.mimeData([source])
    assert bytes(data.data(ACCOUNT_MIME)) == str(account_id).encode()
    modifiers = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    event = QDropEvent(point, Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, data,
                       Qt.MouseButton.LeftButton, modifiers)
    dock.tree.dropEvent(event)


def test_dropping_an_account_on_a_position_makes_it_the_main_position(qtbot, open_dock, login, admin_db,
                                                                      newcomer):
    dock = open_dock(login("zhangmc"))
    target = position_id(admin_db, "销售二部", "销售代表")
    with qtbot.waitSignal(dock.sig_position_assigned, timeout=WAIT) as assigned, \
            qtbot.waitSignal(dock.sig_refreshed, timeout=WAIT):
        drop(dock, newcomer, target)
    assert assigned.args == [newcomer, target, True]
    assert main_position(admin_db, newcomer) == target
    assert dock.find_items("account", newcomer)  # still in the tree, now under 销售二部

    concurrent = position_id(admin_db, "客服部", "客服专员")
    with qtbot.waitSignal(dock.sig_position_assigned, timeout=WAIT) as assigned:
        drop(dock, newcomer, concurrent, ctrl=True)
    assert assigned.args == [newcomer, concurrent, False]
    assert main_position(admin_db, newcomer) == target


def test_an_ordinary_user_is_refused_with_the_permission_sentence(qtbot, open_dock, login, admin_db, newcomer):
    before = account.get_account(admin_db, newcomer)["positions"]
    dock = open_dock(login("chenjing"))
    with qtbot.waitSignal(dock.sig_assignment_refused, timeout=WAIT) as refused:
        drop(dock, newcomer, position_id(admin_db, "销售二部", "销售代表"))
    sentence = messages.text("permission_denied", detail=messages.permission_name("system.account.manage"))
    assert refused.args == [sentence] and dock.message.text() == sentence and dock.message.isVisible()
    assert "帐号维护" in sentence
    assert account.get_account(admin_db, newcomer)["positions"] == before


def test_a_drop_outside_a_position_is_ignored(qtbot, open_dock, login):
    dock = open_dock(login("zhangmc"))
    data = QMimeData()
    data.setData(ACCOUNT_MIME, b"1")
    department = dock.find_items("department", name="销售部")[0]
    event = QDropEvent(QPointF(dock.tree.visualItemRect(department).center()), Qt.DropAction.MoveAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.assertNotEmitted(dock.tree.sig_account_dropped):
        dock.tree.dropEvent(event)
    assert not event.isAccepted()


@pytest.fixture
def bridge(qtbot, login):
    changes = ChangeBridge(login("zhangmc"))
    with qtbot.waitSignal(changes.sig_listening, timeout=WAIT):
        changes.start()
    yield changes
    changes.stop()
    assert not changes.running


def test_a_change_from_another_connection_refreshes_the_tree(qtbot, open_dock, login, admin_db, bridge, unique):
    dock = open_dock(login("zhangmc"))
    dock.connect_changes(bridge)
    departments = {d["name"]: d["id"] for d in org.list_departments(admin_db)}
    name = f"临时职位{unique}"
    with qtbot.waitSignal(bridge.sig_changed, timeout=WAIT, check_params_cb=lambda table, op, _id: (table, op) ==
                          ("position", "insert")), qtbot.waitSignal(dock.sig_refreshed, timeout=WAIT):
        created = org.save_position(admin_db, {"department_id": departments["行政人事部"], "name": name})
    try:
        assert [i.text(0) for i in dock.find_items("position", created["id"])] == [name]
    finally:
        org.delete_position(admin_db, created["id"])


def test_the_bridge_reconnects_after_losing_its_connection(qtbot, bridge):
    with qtbot.waitSignal(bridge.sig_connection_lost, timeout=WAIT), \
            qtbot.waitSignal(bridge.sig_listening, timeout=WAIT):
        bridge.drop_connection_for_test()
    assert bridge.running


def test_payloads_are_read_defensively():
    assert parse_payload('{"table": "account", "op": "update", "id": 7}') == ("account", "update", 7)
    assert parse_payload("not json") == ("", "", None)
    assert parse_payload("[1]") == ("", "", None)
