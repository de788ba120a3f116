"""pytest-qt: the plan and record dialogs (figure 16) and the reminders dock (销售提醒) driven as
real accounts; what the database then holds is read back through the services."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QDateTime

from crm_desktop import messages
from crm_desktop.services import customer as customers
from crm_desktop.services import followup as svc
from crm_desktop.ui.common.forms import select_data
from crm_desktop.ui.common.screenshot import save_screenshot
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.followup.customer_followup import CustomerFollowup
from crm_desktop.ui.followup.dialogs import PlanDialog, RecordDialog
from crm_desktop.ui.followup.reminders import RemindersDock

WAIT = 15_000
NOW = datetime.now().astimezone().replace(second=0, microsecond=0)


@pytest.fixture(autouse=True)
def settle(qapp):
    messages.set_language("zh_CN")
    yield
    assert cancel_all_and_wait(WAIT)


def loaded(qtbot, widget):
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        pass
    return widget


@pytest.fixture
def rep_customer(login, unique):
    rep = login("chenjing")
    c = customers.create_customer(rep, {"name": f"北斗广告{unique}"}, contacts=[{"name": "王经理"}])
    return rep, c["id"]


def test_carrying_out_a_plan_and_planning_the_next_in_one_dialog(qtbot, rep_customer, chinese_ui, images):
    rep, cid = rep_customer
    plan = svc.plan_contact(rep, cid, {"planned_at": NOW - timedelta(hours=1), "subject": "电话回访", "way": "visit"})
    dialog = loaded(qtbot, RecordDialog(rep, cid, plan))
    assert dialog.subject.text() == "电话回访" and dialog.way.currentData() == "visit"
    assert dialog.customer_label.text().startswith("北斗广告")
    dialog.content.setPlainText("客户要一份报价")
    dialog.next_box.setChecked(True)
    dialog.next_fields.subject.setText("送报价单")
    dialog.next_fields.planned_at.setDateTime(QDateTime(NOW + timedelta(days=2)))
    dialog.next_fields.remind_email.setChecked(True)
    save_screenshot(dialog, images / "followup_record_dialog.png")
    with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT) as saved:
        dialog.save_button.click()
    [record] = svc.records(rep, cid)
    assert (record["id"], record["plan_id"], record["content"]) == (saved.args[0], plan, "客户要一份报价")
    assert svc.get_plan(rep, plan)["done"]
    nxt = [p for p in svc.plans(rep, cid) if not p["done"]]
    assert [(p["subject"], p["planned_at"], p["remind_email"]) for p in nxt] == [
        ("送报价单", NOW + timedelta(days=2), True)]


def test_a_refused_save_keeps_the_dialog_and_what_was_typed(qtbot, rep_customer):
    rep, cid = rep_customer
    dialog = loaded(qtbot, RecordDialog(rep, cid))
    dialog.content.setPlainText("没写主题")
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT) as failed:
        dialog.save_button.click()
    assert "主题" in failed.args[0]
    assert dialog.content.toPlainText() == "没写主题" and svc.records(rep, cid) == []
    dialog.message_box.close()


def test_a_plan_for_a_colleague_reaches_their_reminders(qtbot, rep_customer, login, chinese_ui, images):
    rep, cid = rep_customer
    manager = login("wangfang")
    dialog = loaded(qtbot, PlanDialog(manager, cid))
    followers = [dialog.fields.follower.itemData(i) for i in range(dialog.fields.follower.count())]
    assert rep.account_id in followers and login("zhouqiang").account_id not in followers
    select_data(dialog.fields.follower, rep.account_id)
    dialog.fields.subject.setText("陪同拜访")
    dialog.fields.planned_at.setDateTime(QDateTime(NOW - timedelta(minutes=5)))
    select_data(dialog.fields.way, "visit")
    save_screenshot(dialog, images / "followup_plan_dialog.png")
    with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT):
        dialog.save_button.click()
    dock = RemindersDock(rep)
    widget = dock.reminders
    qtbot.addWidget(dock)
    with qtbot.waitSignal(widget.sig_count_changed, timeout=WAIT) as counted:
        widget.refresh()
    assert counted.args[0] >= 1
    overdue = widget.tree.topLevelItem(0)
    rows = [overdue.child(i) for i in range(overdue.childCount())]
    mine = next(item for item in rows if item.text(2) == "陪同拜访")
    assert mine.text(1).startswith("北斗广告") and mine.text(4) == "王芳" and mine.text(3) == "拜访"
    dock.resize(640, 360)
    save_screenshot(dock, images / "followup_reminders_dock.png")
    # opening a reminder opens the customer's contact management with the plan selected
    with qtbot.waitSignal(widget.sig_reminder_opened, timeout=WAIT) as opened:
        widget.tree.itemActivated.emit(mine, 0)
    window = widget.opened
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sig_loaded, timeout=WAIT):
        pass
    assert opened.args[1] == cid and window.selected_plan()["id"] == opened.args[0]
    assert window.execute.isEnabled()


def test_a_plan_falling_due_while_the_program_runs_is_announced(qtbot, rep_customer):
    rep, cid = rep_customer
    clock = {"now": NOW}
    dock = RemindersDock(rep)
    widget = dock.reminders
    widget.clock = lambda: clock["now"]
    qtbot.addWidget(dock)
    plan = svc.plan_contact(rep, cid, {"planned_at": NOW + timedelta(minutes=10), "subject": "十分钟后"})
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        widget.refresh()
    assert plan not in [r["plan_id"] for r in widget.buckets["overdue"]]
    clock["now"] = NOW + timedelta(minutes=11)
    with qtbot.waitSignal(widget.sig_fell_due, timeout=WAIT) as due:
        widget.refresh()
    # exactly the plans that fell due in between (other tests' plans of chenjing may be among them)
    assert plan in [r["plan_id"] for r in due.args[0]]
    assert all(NOW <= r["planned_at"] < clock["now"] for r in due.args[0])


def test_live_refresh_when_a_colleague_plans(qtbot, rep_customer, login):
    """A NOTIFY of a plan reloads the dock (the bridge's signal, as main_window.changes sends it)."""
    rep, cid = rep_customer
    dock = RemindersDock(rep)
    widget = dock.reminders
    qtbot.addWidget(dock)
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        widget.refresh()
    before = svc.due_count(widget.buckets)
    svc.plan_contact(login("wangfang"), cid, {"planned_at": NOW - timedelta(minutes=1), "subject": "经理安排"},
                     follower_id=rep.account_id)
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        widget.on_changed("contact_plan", "insert", 1)
    assert svc.due_count(widget.buckets) == before + 1


def test_contact_management_window(qtbot, rep_customer, chinese_ui, images):
    rep, cid = rep_customer
    svc.plan_contact(rep, cid, {"planned_at": NOW + timedelta(days=1), "subject": "演示产品", "way": "visit"})
    svc.add_record(rep, cid, {"subject": "初次电话", "contacted_at": NOW - timedelta(days=2), "content": "有意向"})
    window = loaded(qtbot, CustomerFollowup(rep, cid))
    assert window.plans.rowCount() == 1 and window.records.rowCount() == 1
    assert window.records.item(0, 4).text() == "初次电话" and window.records.item(0, 1).text() == "陈静"
    assert not window.execute.isEnabled()
    window.plans.selectRow(0)
    assert window.execute.isEnabled()
    save_screenshot(window, images / "followup_contact_management.png")


def test_the_reminder_settings_screen(qtbot, login, superuser_url, chinese_ui, images):
    import psycopg

    from crm_desktop.services import reminder_settings as rs
    from crm_desktop.ui.followup.agent_settings import ReminderSettingsDialog

    admin = login("admin")
    dialog = loaded(qtbot, ReminderSettingsDialog(admin))
    dialog.email_enabled.setChecked(True)
    dialog.smtp_host.setText("smtp.office.example")
    dialog.smtp_port.setValue(587)
    dialog.smtp_login.setText("crm@office.example")
    dialog.smtp_password.setText("typed-password")
    dialog.sender.setText("crm@office.example")
    with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT):
        dialog.save_button.click()
    with qtbot.waitSignal(dialog.sig_loaded, timeout=WAIT):
        pass
    assert dialog.smtp_password.text() == "" and "留空" in dialog.smtp_password.placeholderText()
    with psycopg.connect(superuser_url) as su:
        assert su.execute("select smtp_host, smtp_password from crm.reminder_setting").fetchone() == (
            "smtp.office.example", "typed-password")
    save_screenshot(dialog, images / "followup_reminder_settings.png")
    with pytest.raises(Exception):
        rs.get_settings(login("chenjing"))  # an ordinary account sees no settings at all


def test_the_opportunity_form_and_list(qtbot, rep_customer, chinese_ui, images):
    from decimal import Decimal

    from crm_desktop.services import opportunity as opportunities
    from crm_desktop.ui.followup.opportunities import OpportunityForm, OpportunityList

    rep, cid = rep_customer
    form = loaded(qtbot, OpportunityForm(rep, cid))
    form.title.setText("年度软件采购")
    form.amount.setText("88,000.50")
    form.kind.setText("新客户")
    form.details.setPlainText("客户有明确预算")
    assert form.owner.currentData() == rep.account_id
    save_screenshot(form, images / "followup_opportunity_form.png")
    with qtbot.waitSignal(form.sig_saved, timeout=WAIT) as saved:
        form.save_button.click()
    row = saved.args[0]
    assert (row["expected_amount"], row["probability"], row["status"]) == (Decimal("88000.50"), Decimal("10.00"), "open")
    lost = next(s["id"] for s in opportunities.stages(rep) if s["is_lost"])
    edit = loaded(qtbot, OpportunityForm(rep, cid, row["id"]))
    select_data(edit.stage, lost)
    with qtbot.waitSignal(edit.sig_failed, timeout=WAIT) as refused:  # a lost one needs its reason
        edit.save_button.click()
    assert "失败原因" in refused.args[0]
    edit.message_box.close()
    edit.lost_reason.setText("预算取消")
    with qtbot.waitSignal(edit.sig_saved, timeout=WAIT) as saved:
        edit.save_button.click()
    assert saved.args[0]["status"] == "lost"
    listing = OpportunityList(rep)
    qtbot.addWidget(listing)
    with qtbot.waitSignal(listing.sig_loaded, timeout=WAIT):
        listing.refresh()
    texts = [[listing.table.item(r, c).text() for c in range(listing.table.columnCount())]
             for r in range(listing.table.rowCount())]
    mine = next(t for t in texts if t[0].startswith("北斗广告"))
    assert mine[1:7] == ["年度软件采购", "输单", "失败", "陈静", "88,000.50", "0"]
    listing.resize(900, 400)
    save_screenshot(listing, images / "followup_opportunity_list.png")
