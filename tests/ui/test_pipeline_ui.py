"""pytest-qt: the sales pipeline dock (销售漏斗看板) and 销售分析 driven as real accounts.  A drop is
sent to the target column's view as real drag events (QListView.dropEvent → StageModel.dropMimeData
→ PipelineBoard.move_card → service → database); the figures are checked against independent SQL."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from crm_desktop import messages
from crm_desktop.app import guard_against_pyside_emit_refcount_bug
from crm_desktop.db.notify import ChangeBridge
from crm_desktop.services import customer as customers
from crm_desktop.services import followup
from crm_desktop.services import opportunity
from crm_desktop.ui.common.screenshot import save_screenshot
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.followup.analysis import SalesAnalysis
from crm_desktop.ui.followup.opportunities import money
from crm_desktop.ui.followup.pipeline import PipelineBoard

guard_against_pyside_emit_refcount_bug()

WAIT = 15_000


@pytest.fixture(autouse=True)
def settle(qapp):
    messages.set_language("zh_CN")
    yield
    assert cancel_all_and_wait(WAIT)


@pytest.fixture
def deals(login, unique):
    """chenjing's opportunities over several stages, one customer with an overdue contact plan."""
    rep = login("chenjing")
    stages = {s["name"]: s["id"] for s in opportunity.stages(rep)}
    made = []
    for i, (name, amount, stage) in enumerate([("北斗广告", "128000.00", "线索收集"), ("华南物流", "56000.50", "线索收集"),
                                               ("金桥软件", "230000.00", "需求确认"), ("明珠酒店", "88000.00", "方案报价"),
                                               ("东方电子", "412000.00", "商务谈判"), ("新城地产", "99000.00", "赢单")]):
        cid = customers.create_customer(rep, {"name": f"{name}{unique}"})["id"]
        o = opportunity.create_opportunity(rep, cid, {"title": name, "expected_amount": amount,
                                                      "ends_on": date.today() + timedelta(days=10 + i * 7)})
        if stage != "线索收集":
            o = opportunity.move_to_stage(rep, o, stages[stage])
        if i == 0:
            followup.plan_contact(rep, cid, {"planned_at": datetime.now().astimezone() - timedelta(days=1),
                                             "subject": "电话回访"})
        made.append(o)
    return rep, stages, made


def open_board(qtbot, db, **kwargs) -> PipelineBoard:
    board = PipelineBoard(db, per_stage=500, **kwargs)
    qtbot.addWidget(board)
    board.resize(1500, 720)
    board.show()
    with qtbot.waitSignal(board.sig_loaded, timeout=WAIT):
        board.refresh()
    return board


def drop(board: PipelineBoard, card_id: int, to_stage: int) -> None:
    """A real drag's end: the source model's mime data, then enter / move / drop on the target view."""
    source = board.column(board.card_stage(card_id)).model
    row = next(i for i, c in enumerate(source.cards) if c["id"] == card_id)
    mime = source.mimeData([source.index(row)])
    view = board.column(to_stage).view.viewport()
    pos = QPoint(20, view.height() - 5)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(pos, Qt.DropAction.MoveAction, mime, buttons, mods),
                  QDragMoveEvent(pos, Qt.DropAction.MoveAction, mime, buttons, mods),
                  QDropEvent(pos, Qt.DropAction.MoveAction, mime, buttons, mods)):
        QApplication.sendEvent(view, event)


def test_dragging_a_card_moves_it_in_the_database_and_writes_history(qtbot, deals, raw_connect, chinese_ui, images):
    rep, stages, made = deals
    board = open_board(qtbot, rep)
    target = made[0]
    save_screenshot(board, images / "pipeline_board.png")
    with qtbot.waitSignal(board.sig_moved, timeout=WAIT) as moved, qtbot.waitSignal(board.sig_loaded, timeout=WAIT):
        drop(board, target["id"], stages["需求确认"])
    assert moved.args[0]["stage_id"] == stages["需求确认"]
    conn = raw_connect("chenjing")
    assert conn.execute("select stage_id from crm.opportunity where id = %s", (target["id"],)).fetchone()[0] \
        == stages["需求确认"]
    history = conn.execute("select from_stage_id, to_stage_id, actor_id from crm.opportunity_stage_history "
                           "where opportunity_id = %s order by at, id", (target["id"],)).fetchall()
    assert history[-1] == (stages["线索收集"], stages["需求确认"], rep.account_id)
    assert board.card_stage(target["id"]) == stages["需求确认"]
    # a lost stage asks for the reason; the card carries it to the database
    asked = []
    board.ask_reason = lambda card: asked.append(card["id"]) or "客户预算取消"
    with qtbot.waitSignal(board.sig_moved, timeout=WAIT) as moved, qtbot.waitSignal(board.sig_loaded, timeout=WAIT):
        drop(board, made[1]["id"], stages["输单"])
    assert asked == [made[1]["id"]] and moved.args[0]["status"] == "lost"
    assert conn.execute("select lost_reason from crm.opportunity where id = %s", (made[1]["id"],)).fetchone()[0] \
        == "客户预算取消"
    # cancelling the reason leaves the card where it was
    board.ask_reason = lambda card: ""
    drop(board, made[2]["id"], stages["输单"])
    assert board.card_stage(made[2]["id"]) == stages["需求确认"]


def test_a_refused_move_puts_the_card_back_and_shows_the_sentence(qtbot, deals, login, raw_connect):
    rep, stages, made = deals
    sharee = login("zhouqiang")  # 销售二部: sees the shared customer's opportunity, may not change it
    customers.share_customers(rep, [made[3]["customer_id"]], [sharee.account_id])
    board = open_board(qtbot, sharee)
    card_id = made[3]["id"]
    assert board.card_stage(card_id) == stages["方案报价"]
    with qtbot.waitSignal(board.sig_move_refused, timeout=WAIT) as refused:
        drop(board, card_id, stages["商务谈判"])
    assert refused.args[0] == messages.text("opportunity_not_editable")
    assert board.card_stage(card_id) == stages["方案报价"]
    assert board.message_box.text() == refused.args[0]
    board.message_box.close()
    conn = raw_connect("chenjing")
    assert conn.execute("select stage_id from crm.opportunity where id = %s", (card_id,)).fetchone()[0] \
        == stages["方案报价"]


def test_column_totals_match_an_independent_decimal_sum(qtbot, deals, raw_connect):
    rep, _stages, _made = deals
    board = open_board(qtbot, rep)
    conn = raw_connect("chenjing")
    prob = dict(conn.execute("select id, probability from crm.opportunity_stage"))
    expected: dict[int, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for stage_id, amount in conn.execute("select stage_id, expected_amount from crm.opportunity"):
        expected[stage_id][0] += 1
        expected[stage_id][1] += amount
    for stage_id, col in expected.items():
        col[2] = (col[1] * prob[stage_id] / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    for column in board.stage_columns:
        count, total, weighted = expected[column.stage_id]
        assert (column.count, column.total, column.weighted) == (count, total, weighted)
        header = board.column(column.stage_id).header.text()
        assert f"({count})" in header and money(total) in header and money(weighted) in header
        assert board.column(column.stage_id).model.rowCount() == count


def test_a_colleagues_move_arrives_by_notify_and_the_board_updates(qtbot, deals, login):
    rep, stages, made = deals
    bridge = ChangeBridge(login("chenjing"))
    with qtbot.waitSignal(bridge.sig_listening, timeout=WAIT):
        bridge.start()
    try:
        board = open_board(qtbot, login("chenjing"))
        board.connect_changes(bridge)
        manager = login("wangfang")  # 销售一部经理, another account on another connection
        card_id = made[4]["id"]
        assert board.card_stage(card_id) == stages["商务谈判"]
        with qtbot.waitSignal(board.sig_loaded, timeout=WAIT):
            opportunity.move_to_stage(manager, opportunity.get_opportunity(manager, card_id), stages["赢单"])
        qtbot.waitUntil(lambda: board.card_stage(card_id) == stages["赢单"], timeout=WAIT)
    finally:
        bridge.stop()


def test_sales_analysis_figures_charts_and_excel_export(qtbot, deals, login, raw_connect, chinese_ui, images, tmp_path):
    window = SalesAnalysis(login("wangfang"))
    qtbot.addWidget(window)
    window.resize(1200, 820)
    window.show()
    with qtbot.waitSignal(window.sig_loaded, timeout=WAIT):
        window.refresh()
    conn = raw_connect("wangfang")
    funnel = dict((r[0], (r[1], r[2])) for r in conn.execute(
        """select st.name, count(o.id), coalesce(sum(o.expected_amount), 0) from crm.opportunity_stage st
           left join crm.opportunity o on o.stage_id = st.id group by st.id"""))
    assert {s: (n, a) for s, n, a in window.funnel.stages} == funnel
    by_owner = dict(conn.execute("""select a.name, sum(o.expected_amount) from crm.opportunity o
        join crm.opportunity_stage st on st.id = o.stage_id join crm.account a on a.id = o.owner_id
        where st.is_won group by a.name"""))
    assert {label: value for label, value, _t in window.by_owner.items} == by_owner
    assert "陈静" in by_owner
    won, lost = conn.execute("""select count(*) filter (where st.is_won), count(*) filter (where st.is_lost)
        from crm.opportunity o join crm.opportunity_stage st on st.id = o.stage_id""").fetchone()
    assert (window.result.won, window.result.lost) == (won, lost)
    save_screenshot(window, images / "sales_analysis.png")
    path = tmp_path / "销售分析.xlsx"
    with qtbot.waitSignal(window.sig_exported, timeout=WAIT):
        window.export_to(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["漏斗", "按月赢单", "按销售员赢单", "汇总"]
    rows = list(wb["漏斗"].iter_rows(values_only=True))
    assert rows[0] == ("阶段", "数量", "金额")
    assert {r[0]: (r[1], Decimal(str(r[2]))) for r in rows[1:]} == funnel
    owners = {r[0]: Decimal(str(r[2])) for r in list(wb["按销售员赢单"].iter_rows(values_only=True))[1:]}
    assert owners == by_owner
