"""pytest-qt: 客户信息共享 (figure 12) and 客户资源分派 (figure 13) driven as real accounts; what the
database then holds is read back through the services as the people concerned."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from admin_screens import assert_picture_shows
from PySide6.QtCore import QDateTime
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox, QToolButton

from crm_desktop import messages
from crm_desktop.messages import UserError
from crm_desktop.services import customer as svc
from crm_desktop.services import customer_settings as cs
from crm_desktop.services.account import account_id_by_login
from crm_desktop.services.customer_list import CustomerFilter, CustomerPageSource
from crm_desktop.ui.common.screenshot import save_screenshot
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.customer.share_assign import AssignDialog, ShareDialog

WAIT = 15_000
PLAN = datetime(2026, 3, 2, 10, 30)


@pytest.fixture(autouse=True)
def settle(qapp):
    messages.set_language("zh_CN")
    yield
    assert cancel_all_and_wait(WAIT)


@pytest.fixture(scope="module")
def types(admin_db) -> list[int]:
    from crm_desktop.admin.seed_customers import ensure_choices, seed_demo_customers

    seed_demo_customers(admin_db, 400)
    return ensure_choices(admin_db).types


@pytest.fixture
def ids_of(admin_db):
    return lambda login: account_id_by_login(admin_db, login)


def new_customers(db, unique, types, count=2, prefix="共享") -> list[int]:
    # liuyang's category permission (demo) lets him see types[0] and types[1] only
    return [svc.create_customer(db, {"name": f"{prefix}客户{i}{unique}", "type_id": types[0]})["id"]
            for i in range(count)]


def loaded(qtbot, dialog):
    qtbot.addWidget(dialog)
    with qtbot.waitSignals([dialog.sig_loaded, dialog.picker.sig_loaded], timeout=WAIT):
        pass
    return dialog


def choose(qtbot, combo, signal, text):
    index = next(i for i in range(combo.count()) if combo.itemText(i).strip("\u3000") == text)
    with qtbot.waitSignal(signal, timeout=WAIT):
        combo.setCurrentIndex(index)


def pick(qtbot, picker, department, account_id, organization="全程软件"):
    choose(qtbot, picker.organization, picker.sig_people_loaded, organization)
    choose(qtbot, picker.department, picker.sig_people_loaded, department)
    offered = [picker.person.itemData(i) for i in range(1, picker.person.count())]
    assert picker.select_person(account_id), offered
    return offered


def assert_refused(fn, *args):
    with pytest.raises(UserError) as err:
        fn(*args)
    return err.value


def test_sharing_two_customers_with_a_reminder(qtbot, login, ids_of, types, unique):
    owner, receiver = login("chenjing"), login("liuyang")
    ids = new_customers(owner, unique, types)
    assert_refused(svc.get_customer, receiver, ids[0])
    dialog = loaded(qtbot, ShareDialog(owner, ids))
    assert "2" in dialog.header.text() and f"共享客户1{unique}" in dialog.header.text()
    assert not dialog.shares_box.isVisibleTo(dialog)  # several customers: no list of existing shares
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT) as failed:
        dialog.save_button.click()  # nobody chosen yet
    assert failed.args[0].startswith("请填写")
    dialog.message_box.close()
    offered = pick(qtbot, dialog.picker, "销售一部", ids_of("yexin"))
    assert ids_of("zhaolei") not in offered  # locked accounts are not offered
    dialog.picker.add_button.click()
    dialog.picker.select_person(ids_of("liuyang"))
    dialog.picker.add_button.click()
    dialog.picker.add_button.click()  # twice: still once
    assert dialog.picker.receivers() == [ids_of("yexin"), ids_of("liuyang")]
    dialog.picker.findChild(QToolButton, f"remove_{ids_of('yexin')}").click()
    assert dialog.picker.receivers() == [ids_of("liuyang")]
    dialog.reminder.enabled.setChecked(True)
    dialog.reminder.when.setDateTime(QDateTime(PLAN))
    dialog.reminder.subject.setText("共享回访")
    with qtbot.waitSignal(dialog.sig_done, timeout=WAIT) as done:
        dialog.save_button.click()
    assert done.args == [2] and dialog.result() == dialog.DialogCode.Accepted
    seen = CustomerPageSource(receiver).fetch_rows(ids)
    assert sorted(r["id"] for r in seen) == sorted(ids)
    for customer_id in ids:
        plans = svc.contact_plans(receiver, customer_id)
        assert [(p["account_id"], p["subject"], p["planned_at"]) for p in plans] == \
            [(receiver.account_id, "共享回访", PLAN.astimezone())]
        shares = [h for h in svc.history(owner, customer_id) if h["action"] == "share"]
        assert [h["receivers"] for h in shares] == [[receiver.account_id]]
    assert_refused(svc.update_customer, receiver, svc.get_customer(receiver, ids[0]), {"notes": "改"})


def test_stopping_a_share_from_the_single_customer_dialog(qtbot, login, types, unique):
    owner, receiver = login("chenjing"), login("liuyang")
    [customer_id] = new_customers(owner, unique, types, 1, "取消")
    svc.share_customers(owner, [customer_id], [receiver.account_id])
    dialog = loaded(qtbot, ShareDialog(owner, [customer_id]))
    assert dialog.shares_box.isVisibleTo(dialog) and dialog.share_list.count() == 1
    dialog.findChild(QToolButton, f"unshare_{receiver.account_id}").click()
    assert "刘洋" in dialog.confirm_box.text()
    with qtbot.waitSignal(dialog.sig_unshared, timeout=WAIT) as unshared:
        dialog.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    assert unshared.args == [1] and dialog.share_list.count() == 0
    assert_refused(svc.get_customer, receiver, customer_id)
    assert [h["action"] for h in svc.history(owner, customer_id)] == ["share", "unshare"]


def status_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def test_a_manager_assigns_with_a_reason_and_a_new_type(qtbot, login, admin_db, ids_of, types, unique):
    rep, manager, receiver = login("chenjing"), login("wangfang"), login("liuyang")
    ids = new_customers(rep, unique, types, 2, "分派")
    owned, limit = svc.private_customer_status(admin_db, receiver.account_id)
    assert limit is None
    dialog = loaded(qtbot, AssignDialog(manager, ids))
    assert "陈静" in dialog.header.text() and dialog.save_button.isEnabled()
    dialog.type.setCurrentIndex(dialog.type.findData(types[1]))
    with qtbot.waitSignal(dialog.sig_status_shown, timeout=WAIT) as status:
        pick(qtbot, dialog.picker, "销售一部", receiver.account_id)
    assert status_numbers(status.args[0]) == [owned, owned + 2]
    dialog.reason.setPlainText("客户转交刘洋跟进")
    dialog.reminder.enabled.setChecked(True)
    dialog.reminder.when.setDateTime(QDateTime(PLAN))
    with qtbot.waitSignal(dialog.sig_done, timeout=WAIT) as done:
        dialog.save_button.click()
    assert done.args == [2]
    for customer_id in ids:
        moved = svc.get_customer(receiver, customer_id)
        assert (moved["owner_id"], moved["is_private"], moved["type_id"]) == (receiver.account_id, True, types[1])
        assign = [h for h in svc.history(manager, customer_id) if h["action"] == "assign"]
        assert [(h["from_owner"], h["to_owner"], h["old_type_id"], h["new_type_id"], h["reason"]) for h in assign] \
            == [(rep.account_id, receiver.account_id, types[0], types[1], "客户转交刘洋跟进")]
        assert [p["planned_at"] for p in svc.contact_plans(receiver, customer_id)] == [PLAN.astimezone()]
    assert svc.private_customer_status(admin_db, receiver.account_id) == (owned + 2, None)


def test_assigning_beyond_the_receivers_limit_shows_the_numbers_and_changes_nothing(
        qtbot, login, admin_db, types, unique):
    rep, manager, receiver = login("chenjing"), login("wangfang"), login("liuyang")
    ids = new_customers(rep, unique, types, 2, "超限")
    owned, _ = svc.private_customer_status(admin_db, receiver.account_id)
    cs.set_private_limit(admin_db, receiver.account_id, owned + 1)
    try:
        dialog = loaded(qtbot, AssignDialog(manager, ids))
        with qtbot.waitSignal(dialog.sig_status_shown, timeout=WAIT) as status:
            pick(qtbot, dialog.picker, "销售一部", receiver.account_id)
        assert status_numbers(status.args[0]) == [owned, owned + 1, owned + 2]
        assert "c0392b" in dialog.status.styleSheet()
        with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT) as failed:
            dialog.save_button.click()
        assert failed.args == [f"刘洋的私有客户已达上限：上限 {owned + 1} 个，现有 {owned} 个，不能再增加 2 个。"]
        assert dialog.message_box.text() == failed.args[0] and dialog.save_button.isEnabled()
        dialog.message_box.close()
        assert dialog.result() != dialog.DialogCode.Accepted
        for customer_id in ids:
            assert svc.get_customer(rep, customer_id)["owner_id"] == rep.account_id
            assert svc.history(rep, customer_id) == [] and svc.contact_plans(rep, customer_id) == []
        assert svc.private_customer_status(admin_db, receiver.account_id) == (owned, owned + 1)
    finally:
        cs.set_private_limit(admin_db, receiver.account_id, None)


def test_accounts_without_the_permission_cannot_assign_or_share(qtbot, login, types, unique):
    rep, receiver = login("chenjing"), login("liuyang")
    ids = new_customers(rep, unique, types, 1, "无权")
    assert rep.can("customer.share") and not rep.can("customer.assign")
    dialog = loaded(qtbot, AssignDialog(rep, ids))
    assert not dialog.save_button.isEnabled() and dialog.permission_note.isVisibleTo(dialog)
    assert assert_refused(svc.assign_customers, rep, ids, receiver.account_id).key == "permission_denied"
    nobody = login("dengchao")  # no role at all
    share = loaded(qtbot, ShareDialog(nobody, ids))
    assert not share.save_button.isEnabled() and share.permission_note.isVisibleTo(share)
    assert assert_refused(svc.share_customers, nobody, ids, [receiver.account_id]).key == "permission_denied"
    assert svc.get_customer(rep, ids[0])["owner_id"] == rep.account_id


def test_a_manager_hands_over_all_customers_of_a_departed_employee_in_one_step(
        qtbot, login, admin_db, ids_of, types, unique):
    manager = login("huangmin")  # leads 销售二部, where xujun (resigned) worked
    for i in range(6):  # other tests may have handed the demo's over already
        svc.create_customer(admin_db, {"name": f"徐军的客户{i}{unique}", "owner_id": ids_of("xujun")})
    departed = CustomerPageSource(manager, CustomerFilter(owner_ids=(ids_of("xujun"),)))
    ids = [r["id"] for r in departed.iter_rows()]
    assert len(ids) >= 6
    dialog = loaded(qtbot, AssignDialog(manager, ids))
    assert f"{len(ids)}" in dialog.header.text() and "徐军" in dialog.header.text()
    offered = pick(qtbot, dialog.picker, "销售二部", ids_of("zhouqiang"))
    assert ids_of("xujun") not in offered and ids_of("wuting") not in offered  # resigned, expired
    dialog.reason.setPlainText("离职交接")
    with qtbot.waitSignal(dialog.sig_done, timeout=WAIT) as done:
        dialog.save_button.click()
    assert done.args == [len(ids)] and departed.count() == 0
    mine = CustomerPageSource(login("zhouqiang"), CustomerFilter(owner_ids=(ids_of("zhouqiang"),)))
    assert set(ids) <= {r["id"] for r in mine.iter_rows()}


def shot(qtbot, dialog, path, width, height):
    dialog.resize(width, height)
    dialog.show()
    qtbot.waitExposed(dialog)
    image = QImage(str(save_screenshot(dialog, path)))
    assert (image.width(), image.height()) == (width, height)
    # the picture shows the dialog's header (how many customers) and its title, drawn
    assert_picture_shows(path, dialog, dialog.windowTitle(), dialog.header.text())


def test_screenshots_of_both_dialogs(qtbot, login, ids_of, types, chinese_ui, images):
    owner, manager = login("chenjing"), login("wangfang")
    ids = [svc.create_customer(owner, {"name": name, "type_id": types[0]})["id"]  # names as a user's
           for name in ("北斗广告有限公司", "华南物流有限公司", "星辰科技有限公司")]
    share = loaded(qtbot, ShareDialog(owner, ids))
    for login_name in ("liuyang", "yexin"):
        if share.picker.person.count() <= 1:
            pick(qtbot, share.picker, "销售一部", ids_of(login_name))
        share.picker.select_person(ids_of(login_name))
        share.picker.add_button.click()
    share.reminder.enabled.setChecked(True)
    share.reminder.subject.setText("共享后回访")
    assert share.windowTitle() == "客户信息共享"
    assert "3" in share.header.text()
    shot(qtbot, share, images / "customer_share.png", 620, 470)
    share.close()
    assign = loaded(qtbot, AssignDialog(manager, ids))
    with qtbot.waitSignal(assign.sig_status_shown, timeout=WAIT):
        pick(qtbot, assign.picker, "销售一部", ids_of("liuyang"))
    assign.type.setCurrentIndex(assign.type.findData(types[1]))
    assign.reason.setPlainText("陈静调岗，客户转交刘洋跟进")
    assign.reminder.enabled.setChecked(True)
    assign.reminder.subject.setText("交接回访")
    assert assign.windowTitle() == "客户资源分派" and assign.status.text().startswith("私有客户")
    shot(qtbot, assign, images / "customer_assign.png", 620, 400)
    assign.close()
