"""The quote form, the quote list, the flow editor, My approvals and the 流程图, end to end as the
demo accounts (pytest-qt, offscreen), with the pictures for docs/approvals.md and docs/quotes.md."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import psycopg
import pytest

from crm_desktop.services import approval
from crm_desktop.services import quote as quotes
from crm_desktop.ui.common.screenshot import save_screenshot

WAIT = 20_000


@pytest.fixture(autouse=True)
def chinese_ui(qapp):
    """In Chinese with the shipped font, as the pictures in the user guide are."""
    from crm_desktop.ui.common.fonts import install_app_font
    from crm_desktop.ui.i18n import CHINESE, install_translations, remove_translations

    font = qapp.font()
    install_app_font(qapp, 10)
    install_translations(qapp, CHINESE)
    yield
    remove_translations(qapp)
    qapp.setFont(font)


@pytest.fixture(scope="module")
def su(superuser_url):
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        yield conn


def _customer(db, name):
    from sqlalchemy import text
    with db.session() as s:
        cid = s.execute(text("insert into crm.customer (name) values (:n) returning id"), {"n": name}).scalar()
        s.execute(text("insert into crm.contact (customer_id, name, phone, email) values (:c, '张义', '020-88886666', "
                       "'zhangyi@example.com')"), {"c": cid})
    return cid


def test_the_quote_form_previews_what_the_database_stores_and_submits(qtbot, login, su, unique, images):
    from crm_desktop.ui.quote.quote_form import QuoteForm

    chen = login("chenjing")
    customer = _customer(chen, f"图趣计算机网络有限公司{unique}")
    form = QuoteForm(chen)
    qtbot.addWidget(form)
    form.customer.setText(f"图趣计算机网络有限公司{unique}")
    form.customer.setProperty("customer_id", customer)
    form._contacts(quotes.customer_contacts(chen, customer), None)
    form.contact.setCurrentIndex(1)
    assert form.phone.text() == "020-88886666" and form.email.text() == "zhangyi@example.com"
    for offset, (qty, rate) in enumerate(((Decimal(1), Decimal(1)), (Decimal(3), Decimal("0.95")))):
        p = quotes.search_products(chen, "")[offset]
        units = quotes.product_units(chen, p["id"])
        price = quotes.proposed_price(chen, customer, p["id"])
        form._append_line({"id": None, "product_id": p["id"], "number": p["number"], "name": p["name"],
                           "category": p["category"], "kind": p["kind"], "spec": p["model"], "units": units,
                           "base_price": price}, qty, p["base_unit_id"], price, rate)
    form.discount.setText("97")
    form.update_totals()
    preview = form.figures
    assert preview.discounted_total == sum(f.discounted_amount for f in preview.lines)
    with qtbot.waitSignal(form.sig_saved, timeout=WAIT) as saved:
        form.save(False)
    with qtbot.waitSignal(form.sig_loaded, timeout=WAIT):
        pass
    stored = su.execute("select total_amount, discounted_total, number from crm.quote where id = %s",
                        saved.args).fetchone()
    assert stored[:2] == (preview.total_amount, preview.discounted_total) and stored[2].startswith("NO-")
    save_screenshot(form, images / "quote_form.png")
    with qtbot.waitSignal(form.sig_submitted, timeout=WAIT):
        form.submit()
    with qtbot.waitSignal(form.sig_loaded, timeout=WAIT):
        pass
    assert not form.buttons.save.isEnabled() and form.chart_button.isEnabled()
    doc = quotes.quote_print_document(chen, saved.args[0])
    assert doc.kind == "quote" and doc.number == stored[2] and doc.discounted_total == stored[1]
    assert doc.approval_status == "pending" and len(doc.lines) == 2 and doc.party.phone == "020-88886666"


def test_the_quote_list_filters_and_exports(qtbot, login, tmp_path, images):
    from openpyxl import load_workbook

    from crm_desktop.ui.quote.quote_list import QuoteListWidget

    wang = login("wangfang")
    widget = QuoteListWidget(wang)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        pass
    widget.scope.setCurrentIndex(1)  # everyone I may see: her reps' quotes too
    widget.refresh()
    rows = list(widget.source(False).iter_rows())
    assert rows and all(r["number"].startswith("NO-") for r in rows)
    mine_only = quotes.QuotePageSource(wang, quotes.QuoteFilter(scope_accounts=(wang.account_id,)))
    assert len(list(mine_only.iter_rows())) <= len(rows)
    with qtbot.waitSignal(widget.sig_exported, timeout=WAIT) as done:
        widget.export_to(str(tmp_path / "q.xlsx"))
    sheet = load_workbook(tmp_path / "q.xlsx").active
    assert sheet.max_row == done.args[0] + 1 and sheet.cell(1, 1).value == "单据号"
    widget.resize(1100, 500)
    qtbot.waitUntil(lambda: widget.models[False].rowCount() > 0, timeout=WAIT)
    save_screenshot(widget, images / "quote_list.png")


def test_the_flow_editor_saves_a_new_version(qtbot, login, unique, images):
    from crm_desktop.ui.approval.flow_editor import FlowEditor

    admin = login("admin")
    editor = FlowEditor(admin)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.sig_loaded, timeout=WAIT):
        pass
    save_screenshot(editor, images / "approval_flow_editor.png")
    editor.new_flow()
    editor.name.setText(f"界面测试{unique}")
    editor.priority.setValue(5000)
    editor.add_condition({"fact": "total", "op": ">", "value": "100000"})
    editor.add_step()
    with qtbot.waitSignal(editor.sig_saved, timeout=WAIT) as saved:
        editor.save()
    flow = next(f for f in approval.list_flows(admin, "quote") if f["id"] == saved.args[0])
    assert flow["current_version"] == 1 and flow["conditions"] == [{"fact": "total", "op": ">", "value": "100000"}]
    assert flow["steps"][0]["approver_kind"] == "leader"
    # a rep cannot save flows, whatever the client does
    with pytest.raises(Exception) as info:
        approval.save_flow(login("chenjing"), {**flow, "version": flow["version"]})
    assert "permission" in str(info.value) or "权限" in str(info.value)


def test_my_approvals_shows_the_task_live_and_approving_moves_it(qtbot, login, su, unique, images):
    from crm_desktop.ui.approval.my_approvals import DecisionDialog, MyApprovalsWidget, register_viewer
    from crm_desktop.ui.quote.quote_form import quote_viewer

    register_viewer("quote", quote_viewer)
    chen, wang = login("chenjing"), login("wangfang")
    customer = _customer(chen, f"审批界面客户{unique}")
    product = quotes.search_products(chen, "")[0]
    qid = quotes.save_quote(chen, {"customer_id": customer, "valid_until": __import__("datetime").date(2099, 1, 1)},
                            [quotes.QuoteLineInput(product["id"], product["base_unit_id"], Decimal(2), Decimal("500"))])
    flow = approval.save_flow(login("admin"), {"document_type": "quote", "name": f"界面审批{unique}", "priority": 9000,
                                               "steps": [{"name": "部门经理", "approver_kind": "leader"}]})
    before = len(approval.my_tasks(wang, "waiting"))
    widget = MyApprovalsWidget(wang)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: str(before) in widget.tabs.tabText(0), timeout=WAIT)  # loaded: 待我审批（n）
    instance = quotes.submit_quote(chen, qid, flow)
    with qtbot.waitSignal(widget.sig_count_changed, timeout=WAIT, check_params_cb=lambda n: n == before + 1):
        widget.on_change("approval_task", "insert", 1)  # what the NOTIFY bridge delivers
    assert str(before + 1) in widget.tabs.tabText(0) and len(widget.rows["waiting"]) == before + 1
    row = next(r for r in widget.rows["waiting"] if r["instance_id"] == instance)
    widget.resize(1000, 360)
    save_screenshot(widget, images / "approval_my_approvals.png")
    dialog = DecisionDialog(wang, row, widget)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.viewer.sig_loaded, timeout=WAIT):
        pass
    assert not dialog.viewer.buttons.isVisible() or not dialog.viewer.buttons.save.isEnabled()
    save_screenshot(dialog, images / "approval_decision.png")
    dialog.comment.setPlainText("同意，按此价格执行")
    with qtbot.waitSignal(dialog.sig_decided, timeout=WAIT) as decided:
        dialog.approve()
    assert decided.args == ["approved"]
    assert su.execute("select approval_status from crm.quote where id = %s", (qid,)).fetchone()[0] == "approved"
    from crm_desktop.ui.approval.flow_chart import FlowChartDialog
    chart = FlowChartDialog(approval.flow_chart(chen, instance))
    qtbot.addWidget(chart)
    assert [b.objectName() for b in chart.step_boxes] == ["step_1"]
    assert chart.history.rowCount() == 4
    save_screenshot(chart, images / "approval_flow_chart.png")


def _saved_quote(db, unique, lines=1):
    customer = _customer(db, f"打印测试贸易有限公司{unique}")
    inputs = []
    for p in quotes.search_products(db, "")[:lines]:
        price = quotes.proposed_price(db, customer, p["id"])
        inputs.append(quotes.QuoteLineInput(product_id=p["id"], unit_id=p["base_unit_id"], quantity=Decimal(2),
                                            unit_price=price))
    values = {"customer_id": customer, "valid_until": date.today() + timedelta(days=30)}
    return quotes.save_quote(db, values, inputs), customer


def _pdf_text(pdf: bytes, tmp_path) -> str:
    import subprocess

    path = tmp_path / "preview.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_quote_form_prints_the_stored_quote_with_its_number_and_a_draft_watermark(qtbot, login, unique,
                                                                                       tmp_path):
    from crm_desktop.ui.quote.quote_form import QuoteForm

    chen = login("chenjing")
    quote_id, _customer_id = _saved_quote(chen, unique)
    stored = quotes.get_quote(chen, quote_id)
    form = QuoteForm(chen, quote_id)
    qtbot.addWidget(form)
    with qtbot.waitSignal(form.sig_loaded, timeout=WAIT):
        pass
    assert form.print_button.isEnabled()
    form.print_button.click()
    qtbot.waitUntil(lambda: getattr(form, "print_preview", None) is not None
                    and form.print_preview.pdf is not None, timeout=WAIT * 2)
    text = _pdf_text(form.print_preview.pdf, tmp_path)
    assert stored["number"] in text and f"打印测试贸易有限公司{unique}" in text and "报价单" in text
    assert f"{stored['discounted_total']:,.2f}" in text or str(stored["discounted_total"]) in text
    form.print_preview.close()


def test_a_new_quote_has_nothing_to_print_yet(qtbot, login):
    from crm_desktop.ui.quote.quote_form import QuoteForm

    form = QuoteForm(login("chenjing"))
    qtbot.addWidget(form)
    assert not form.print_button.isEnabled()


def test_the_quote_list_previews_every_selected_quote_together(qtbot, login, unique, tmp_path):
    from PySide6.QtCore import QItemSelectionModel

    from crm_desktop.ui.quote.quote_list import QuoteListWidget

    chen = login("chenjing")
    first, _c1 = _saved_quote(chen, unique)
    second, _c2 = _saved_quote(chen, unique + "b")
    numbers = {quotes.get_quote(chen, q)["number"] for q in (first, second)}
    widget = QuoteListWidget(chen)
    qtbot.addWidget(widget)
    widget.number.setText("")
    widget.customer.setText(f"打印测试贸易有限公司{unique}")  # both names start so
    widget.refresh()
    model, view = widget.models[False], widget.views[False]
    qtbot.waitUntil(lambda: model.rowCount() == 2 and model.row_key(1) is not None, timeout=WAIT)
    for row in range(2):
        view.selectionModel().select(model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                                     | QItemSelectionModel.SelectionFlag.Rows)
    assert sorted(widget.selected_quote_ids()) == sorted((first, second))
    widget.print_selected()
    qtbot.waitUntil(lambda: getattr(widget, "print_preview", None) is not None
                    and widget.print_preview.pdf is not None, timeout=WAIT * 2)
    dialog = widget.print_preview
    assert len(dialog.documents) == 2 and {d.number for d in dialog.documents} == numbers
    dialog.close()
