"""报价单 (figure 18): header, lines with the product picker, the totals row, 审批流程, 提交审批,
流程图.  The figures shown while typing come from ``document_math`` (the database's rule mirrored);
the save stores what the database computes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from crm_desktop.services import approval, document_math
from crm_desktop.services import quote as quotes
from crm_desktop.ui.common.forms import BackgroundCalls, FormButtons, fill_combo, required, select_data
from crm_desktop.ui.common.lazy_model import format_money, format_quantity

LINE_HEADERS = ("Code", "Product", "Category", "Type", "Model", "Quantity", "Unit", "Unit price", "Amount",
                "Line rate", "After discount")
QTY, UNIT, PRICE, RATE = 5, 6, 7, 9


def _decimal(text: str, default: Decimal | None = None) -> Decimal | None:
    try:
        return Decimal((text or "").replace(",", "").strip())
    except InvalidOperation:
        return default


class PickerDialog(QDialog, BackgroundCalls):
    """A search box over a list (products: name, number, model or pinyin initials; customers: only
    those the account sees)."""

    sig_failed = Signal(str)

    def __init__(self, db, search, label, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.search, self.label = db, search, label
        self.setWindowTitle(title)
        self.setObjectName("picker")
        layout = QVBoxLayout(self)
        self.needle = QLineEdit()
        self.needle.setPlaceholderText(self.tr("Name, number or pinyin initials"))
        self.needle.textChanged.connect(self.refresh)
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        layout.addWidget(self.needle)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.rows: list[dict] = []
        self.resize(520, 460)
        self.refresh()

    def refresh(self) -> None:
        self.call(self.search, self.needle.text(), then=self._show)

    def _show(self, rows: list[dict]) -> None:
        self.rows = rows
        self.list.clear()
        for r in rows:
            self.list.addItem(QListWidgetItem(self.label(r)))
        if rows:
            self.list.setCurrentRow(0)

    def chosen(self) -> dict | None:
        row = self.list.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None


class QuoteForm(QDialog, BackgroundCalls):
    sig_failed = Signal(str)
    sig_loaded = Signal()
    sig_saved = Signal(int)
    """The quote was saved. Parameters: its id."""
    sig_submitted = Signal(int)
    """The quote went into approval. Parameters: the instance id."""

    def __init__(self, db, quote_id: int | None = None, parent: QWidget | None = None, read_only: bool = False):
        super().__init__(parent)
        self.db, self.quote_id, self.forced_read_only = db, quote_id, read_only
        self.setObjectName("quote_form")
        self.setWindowTitle(self.tr("Quote"))
        self.original: dict | None = None
        self.lines: list[dict] = []  # the table's rows: product, unit choices, ids
        self._build()
        if quote_id is None:
            self._show(quotes.new_quote_defaults(db))
            self.call(quotes.flows_for_quotes, then=self._flows)
        else:
            self.reload()

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        grid = QGridLayout()
        self.number = QLineEdit()
        self.number.setReadOnly(True)
        self.number.setPlaceholderText(self.tr("(from the numbering rule)"))
        self.handler = QLabel()
        self.customer = QLineEdit()
        self.customer.setReadOnly(True)
        self.pick_customer = QPushButton(self.tr("Choose…"))
        self.pick_customer.clicked.connect(self.choose_customer)
        self.contact = QComboBox()
        self.contact.currentIndexChanged.connect(self._contact_details)
        self.phone, self.email, self.title, self.mobile, self.qq = (QLabel() for _ in range(5))
        self.flow = QComboBox()
        self.quoted_on, self.valid_until = QDateEdit(), QDateEdit()
        for edit in (self.quoted_on, self.valid_until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.discount = QLineEdit("100")
        self.discount.textChanged.connect(self.update_totals)
        self.template = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        self.status = QLabel()
        customer_row = QHBoxLayout()
        customer_row.addWidget(self.customer, 1)
        customer_row.addWidget(self.pick_customer)
        cells = ((required(self.tr("Number")), self.number, self.tr("Quoted by"), self.handler),
                 (required(self.tr("Customer")), customer_row, required(self.tr("Contact")), self.contact),
                 (self.tr("Office phone"), self.phone, self.tr("Department / title"), self.title),
                 (self.tr("E-mail"), self.email, self.tr("Mobile"), self.mobile),
                 (self.tr("Approval flow"), self.flow, "MSN (QQ)", self.qq),
                 (self.tr("Quote date"), self.quoted_on, required(self.tr("Valid until")), self.valid_until),
                 (self.tr("Discount %"), self.discount, self.tr("Approval"), self.status))
        for r, (l1, w1, l2, w2) in enumerate(cells):
            for c, cell in enumerate((l1, w1, l2, w2)):
                if isinstance(cell, str):
                    cell = QLabel(cell)
                if isinstance(cell, QHBoxLayout):
                    grid.addLayout(cell, r, c)
                else:
                    grid.addWidget(cell, r, c)
        self.table = QTableWidget(0, len(LINE_HEADERS))
        self.table.setObjectName("quote_lines")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in LINE_HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(lambda _i: self.update_totals())
        self.totals = QLabel()
        self.totals.setObjectName("quote_totals")
        line_buttons = QHBoxLayout()
        self.add_line_button, self.remove_line_button = QPushButton(self.tr("Add product…")), QPushButton(self.tr("Remove line"))
        self.add_line_button.clicked.connect(self.choose_product)
        self.remove_line_button.clicked.connect(self.remove_line)
        line_buttons.addWidget(self.add_line_button)
        line_buttons.addWidget(self.remove_line_button)
        line_buttons.addStretch(1)
        line_buttons.addWidget(self.totals)
        self.buttons = FormButtons(self, self.save)
        self.submit_button = QPushButton(self.tr("Submit for approval"))
        self.submit_button.clicked.connect(self.submit)
        self.withdraw_button = QPushButton(self.tr("Withdraw"))
        self.withdraw_button.clicked.connect(self.withdraw)
        self.chart_button = QPushButton(self.tr("Flow chart"))
        self.chart_button.clicked.connect(self.show_chart)
        self.print_button = QPushButton(self.tr("Print preview…"))
        self.print_button.setObjectName("quote_print")
        self.print_button.clicked.connect(self.open_print_preview)
        actions = QHBoxLayout()
        for b in (self.submit_button, self.withdraw_button, self.chart_button, self.print_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(QLabel(self.tr("Lines:")))
        layout.addWidget(self.table, 1)
        layout.addLayout(line_buttons)
        form2 = QGridLayout()
        form2.addWidget(QLabel(self.tr("Template")), 0, 0)
        form2.addWidget(self.template, 0, 1)
        form2.addWidget(QLabel(self.tr("Notes")), 1, 0)
        form2.addWidget(self.notes, 1, 1)
        layout.addLayout(form2)
        layout.addLayout(actions)
        self.resize(1100, 720)

    # -- data ------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.call(lambda db, qid: (quotes.get_quote(db, qid), quotes.flows_for_quotes(db)), self.quote_id,
                  then=lambda pair: (self._flows(pair[1]), self._show(pair[0])))

    def _flows(self, flows: list[dict]) -> None:
        keep = (self.original or {}).get("flow_id")
        fill_combo(self.flow, [(f["name"], f["id"]) for f in flows], self.tr("--Automatic--"), keep=keep)

    def _show(self, q: dict) -> None:
        self.original = q
        self.quote_id = q.get("id")
        self.number.setText(q.get("number") or "")
        self.handler.setText(q.get("handler_name") or self.db.login)
        self.customer.setText(q.get("customer_name") or "")
        self.customer.setProperty("customer_id", q.get("customer_id"))
        self.quoted_on.setDate(q["quoted_on"])
        self.valid_until.setDate(q["valid_until"])
        self.discount.setText(format_quantity(Decimal(q["discount"]) * 100))
        self.template.setText(q.get("template") or "")
        self.notes.setPlainText(q.get("notes") or "")
        select_data(self.flow, q.get("flow_id"))
        state = approval.name_of(approval.STATUS_NAMES, q.get("approval_status"))
        if q.get("last_approver_name"):
            state += f" · {q['last_approver_name']} {q['last_approved_at']:%Y-%m-%d %H:%M}" if q.get("last_approved_at") else ""
        if q.get("expired"):
            state += self.tr(" · expired")
        self.status.setText(state)
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.lines = []
        for ln in q.get("lines", []):
            self._append_line({"id": ln["id"], "product_id": ln["product_id"], "number": ln.get("product_number", ""),
                               "name": ln["product_name"], "category": ln["category"], "kind": ln["kind"],
                               "spec": ln["spec"], "units": [{"id": ln["unit_id"], "name": ln["unit_name"]}]},
                              ln["quantity"], ln["unit_id"], ln["unit_price"], ln["discount"])
        self.table.blockSignals(False)
        if q.get("customer_id"):
            self.call(quotes.customer_contacts, q["customer_id"], then=lambda rows: self._contacts(rows, q.get("contact_id")))
        self._set_writable()
        self.update_totals()
        self.sig_loaded.emit()

    def _set_writable(self) -> None:
        q = self.original or {}
        status = q.get("approval_status", "draft")
        writable = not self.forced_read_only and status in ("draft", "rejected") and self.db.can("sales.quote")
        for w in (self.pick_customer, self.contact, self.flow, self.quoted_on, self.valid_until, self.discount,
                  self.template, self.add_line_button, self.remove_line_button):
            w.setEnabled(writable)
        self.notes.setReadOnly(not writable)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers if writable
                                   else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.buttons.set_writable(writable)
        self.submit_button.setEnabled(writable and bool(self.quote_id))
        self.print_button.setEnabled(bool(self.quote_id))
        self.withdraw_button.setEnabled(not self.forced_read_only and status == "pending")
        self.chart_button.setEnabled(bool(q.get("approval_instance_id")))
        for b in (self.submit_button, self.withdraw_button, self.buttons):
            b.setVisible(not self.forced_read_only)

    def _contacts(self, rows: list[dict], keep: int | None) -> None:
        self.contact_rows = {r["id"]: r for r in rows}
        fill_combo(self.contact, [(r["name"], r["id"]) for r in rows], self.tr("--Choose--"), keep=keep)
        self._contact_details()

    def _contact_details(self) -> None:
        r = getattr(self, "contact_rows", {}).get(self.contact.currentData(), {})
        self.phone.setText(r.get("phone", ""))
        self.email.setText(r.get("email", ""))
        self.title.setText(r.get("title", ""))
        self.mobile.setText(r.get("mobile", ""))
        self.qq.setText(r.get("qq", ""))

    # -- lines -----------------------------------------------------------------------------------
    def _append_line(self, product: dict, quantity, unit_id, price, rate=Decimal(1)) -> None:
        blocked = self.table.blockSignals(True)
        try:
            self._add_row(product, quantity, unit_id, price, rate)
        finally:
            self.table.blockSignals(blocked)

    def _add_row(self, product: dict, quantity, unit_id, price, rate) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.lines.append(product)
        values = (product.get("number", ""), product["name"], product.get("category", ""), product.get("kind", ""),
                  product.get("spec", ""), format_quantity(Decimal(quantity)), None, format_quantity(Decimal(price)),
                  "", format_quantity(Decimal(rate) * 100), "")
        for c, v in enumerate(values):
            if c == UNIT:
                continue
            item = QTableWidgetItem(v)
            if c not in (QTY, PRICE, RATE):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if c >= QTY and c != UNIT:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, c, item)
        unit = QComboBox()
        fill_combo(unit, [(u["name"], u["id"]) for u in product["units"]], keep=unit_id)
        unit.currentIndexChanged.connect(lambda _i, row=product, box=unit: self._unit_changed(row, box))
        self.table.setCellWidget(r, UNIT, unit)

    def _unit_changed(self, product: dict, box: QComboBox) -> None:
        r = self.lines.index(product)
        base = product.get("base_price")
        if base is not None:
            self.call(quotes.unit_price_in, product["product_id"], base, box.currentData(),
                      then=lambda p: self.table.item(r, PRICE).setText(format_quantity(p)))

    def choose_product(self) -> None:
        picker = PickerDialog(self.db, quotes.search_products,
                              lambda p: f"{p['number']}  {p['name']}  {p['model']}  ({p['unit_name']} {p['sale_price']})",
                              self.tr("Choose a product"), self)
        if not picker.exec() or picker.chosen() is None:
            return
        p = picker.chosen()
        customer = self.customer.property("customer_id")

        def add(result):
            price, units = result
            self._append_line({"id": None, "product_id": p["id"], "number": p["number"], "name": p["name"],
                               "category": p["category"], "kind": p["kind"], "spec": p["model"], "units": units,
                               "base_price": price}, Decimal(1), p["base_unit_id"], price)
            self.update_totals()
        self.call(lambda db: (quotes.proposed_price(db, customer, p["id"]), quotes.product_units(db, p["id"])),
                  then=add)

    def remove_line(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            del self.lines[r]
            self.update_totals()

    def line_inputs(self) -> list[quotes.QuoteLineInput]:
        out = []
        for r, product in enumerate(self.lines):
            out.append(quotes.QuoteLineInput(
                id=product.get("id"), product_id=product["product_id"], unit_id=self.table.cellWidget(r, UNIT).currentData(),
                quantity=_decimal(self.table.item(r, QTY).text(), Decimal(0)),
                unit_price=_decimal(self.table.item(r, PRICE).text(), Decimal(0)),
                discount=(_decimal(self.table.item(r, RATE).text(), Decimal(100)) / 100),
                product_name=product["name"], category=product.get("category", ""), kind=product.get("kind", ""),
                spec=product.get("spec", "")))
        return out

    def update_totals(self) -> None:
        rate = (_decimal(self.discount.text(), Decimal(100)) or Decimal(100)) / 100
        lines = self.line_inputs()
        figures = document_math.document_figures([(ln.quantity, ln.unit_price, ln.discount) for ln in lines], rate)
        self.table.blockSignals(True)
        for r, f in enumerate(figures.lines):
            self.table.item(r, 8).setText(format_money(f.amount))
            self.table.item(r, 10).setText(format_money(f.discounted_amount))
        self.table.blockSignals(False)
        self.figures = figures
        self.totals.setText(self.tr("Total  quantity: %1   amount: %2   discount: %3 %   after discount: %4")
                            .replace("%1", format_quantity(figures.total_quantity))
                            .replace("%2", format_money(figures.total_amount))
                            .replace("%3", format_quantity(figures.effective_rate * 100))
                            .replace("%4", format_money(figures.discounted_total)))

    # -- actions ---------------------------------------------------------------------------------
    def choose_customer(self) -> None:
        picker = PickerDialog(self.db, quotes.search_customers, lambda c: f"{c['number']}  {c['name']}",
                              self.tr("Choose a customer"), self)
        if picker.exec() and picker.chosen():
            c = picker.chosen()
            self.customer.setText(c["name"])
            self.customer.setProperty("customer_id", c["id"])
            self.call(quotes.customer_contacts, c["id"], then=lambda rows: self._contacts(rows, None))

    def values(self) -> dict:
        return {"customer_id": self.customer.property("customer_id"), "contact_id": self.contact.currentData(),
                "quoted_on": self.quoted_on.date().toPython(), "valid_until": self.valid_until.date().toPython(),
                "flow_id": self.flow.currentData(), "template": self.template.text(),
                "notes": self.notes.toPlainText(),
                "discount": (_decimal(self.discount.text(), Decimal(100)) or Decimal(100)) / 100}

    def save(self, close: bool = False) -> None:
        original = self.original if self.original and self.original.get("id") else None

        def saved(qid):
            self.quote_id = qid
            self.sig_saved.emit(qid)
            if close:
                self.accept()
            else:
                self.reload()
        self.call(quotes.save_quote, self.values(), self.line_inputs(), original, then=saved)

    def submit(self) -> None:
        def done(instance):
            self.sig_submitted.emit(instance)
            self.reload()
        self.call(quotes.submit_quote, self.quote_id, self.flow.currentData(), then=done)

    def withdraw(self) -> None:
        instance = (self.original or {}).get("approval_instance_id")
        if instance:
            self.call(approval.withdraw, instance, "", then=lambda _r: self.reload())

    def show_chart(self) -> None:
        from crm_desktop.ui.approval.my_approvals import open_flow_chart

        instance = (self.original or {}).get("approval_instance_id")
        if instance:
            open_flow_chart(self, self.db, instance)


    def open_print_preview(self) -> None:
        """The stored quote (not what is being typed) in the print preview: print, save as PDF."""
        from crm_desktop.printing.ui import preview

        if self.quote_id:
            self.call(quotes.quote_print_document, self.quote_id, then=lambda doc: preview(self, [doc], self.db))


def quote_viewer(db, quote_id: int, parent: QWidget | None = None) -> QWidget:
    """The read-only quote for the approval dialog."""
    form = QuoteForm(db, quote_id, parent, read_only=True)
    form.setWindowFlags(Qt.WindowType.Widget)
    return form

