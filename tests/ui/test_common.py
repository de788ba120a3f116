"""The shared UI building blocks: task runner, progress dialog, lazy table model, font, screenshots."""

from __future__ import annotations

import io
import threading
from decimal import Decimal

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage, QRawFont
from PySide6.QtWidgets import QLabel, QTableView

from crm_desktop.ui.common.fonts import FONT_FAMILY, PDF_FONT_NAME, PDF_SUBFONT_INDEX, font_path
from crm_desktop.ui.common.fonts import install_app_font
from crm_desktop.ui.common.lazy_model import RIGHT, Column, ColumnChooser, LazyTableModel
from crm_desktop.ui.common.lazy_model import format_money, format_quantity
from crm_desktop.ui.common.screenshot import save_screenshot
from crm_desktop.ui.common.tasks import ProgressDialog, TaskCancelled, TaskState, cancel_all_and_wait
from crm_desktop.ui.common.tasks import run_in_background, set_unhandled_failure_handler

NAME = 1  # column index of "name" in GeneratedCustomers


@pytest.fixture(autouse=True)
def no_task_outlives_its_test():
    yield
    assert cancel_all_and_wait(5000)


def wait_finished(qtbot, task):
    if not task.done:
        with qtbot.waitSignal(task.sig_finished, timeout=5000):
            pass


def add(a, b):
    return a + b


def fail():
    raise ValueError("boom")


def spin_until_cancelled(progress, started=None):
    if started:
        started.set()
    stop = threading.Event()
    while not progress.cancelled:
        stop.wait(0.002)  # worker thread only: the test thread never sleeps
    raise TaskCancelled()


# -- the binding ---------------------------------------------------------------------------------
def test_qt_binding_keeps_reference_counts(qtbot):
    """PySide6 6.12.0 on CPython 3.11 drops a reference to True per emit() and to None per Python
    callback run from C++; the app then aborts ('bool_dealloc'/'none_dealloc') after a few thousand
    signals. Pin PySide6-Essentials != 6.12.0 (6.11.3 is fine) or run on CPython >= 3.12."""
    import sys

    task = run_in_background(add, 1, 1)
    wait_finished(qtbot, task)  # warm-up: first use may cache objects
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(50):
        task.sig_progress.emit(1, 1)
        wait_finished(qtbot, run_in_background(add, 1, 1))
    lost = [old - new for old, new in zip(before, (sys.getrefcount(True), sys.getrefcount(None)))]
    assert max(lost) < 25, f"the Qt binding lost references to (True, None): {lost}"


# -- tasks ---------------------------------------------------------------------------------------
def test_task_runs_off_the_gui_thread_and_calls_back_on_it(qtbot):
    seen = {}

    def work(a, b):
        seen["worker"] = threading.current_thread()
        return a + b

    task = run_in_background(work, 2, b=3)
    task.on_success(lambda r: seen.update(result=r, gui=threading.current_thread()))
    task.on_finished(lambda: seen.setdefault("finished", True))
    wait_finished(qtbot, task)
    assert seen["result"] == 5 and seen["finished"]
    assert seen["gui"] is threading.main_thread() is not seen["worker"]
    assert task.state is TaskState.SUCCEEDED and task.result == 5


def test_failure_goes_to_on_failure_only(qtbot):
    calls = []
    task = run_in_background(fail).on_success(calls.append).on_failure(calls.append)
    wait_finished(qtbot, task)
    assert task.state is TaskState.FAILED
    assert len(calls) == 1 and isinstance(calls[0], ValueError)


def test_failure_without_callback_reaches_the_unhandled_handler(qtbot):
    unhandled = []
    set_unhandled_failure_handler(lambda task, error: unhandled.append(error))
    try:
        wait_finished(qtbot, run_in_background(fail))
    finally:
        set_unhandled_failure_handler(lambda task, error: None)
    assert [str(e) for e in unhandled] == ["boom"]


def test_callback_attached_after_finish_runs_at_once(qtbot):
    task = run_in_background(add, 1, 1)
    wait_finished(qtbot, task)
    got = []
    task.on_success(got.append).on_failure(got.append).on_finished(lambda: got.append("end"))
    assert got == [2, "end"]


def test_cancel_stops_a_cooperative_task(qtbot):
    started, outcome = threading.Event(), []
    task = run_in_background(spin_until_cancelled, started=started)
    task.on_success(outcome.append).on_cancelled(lambda: outcome.append("cancelled"))
    qtbot.waitUntil(started.is_set)
    task.cancel()
    wait_finished(qtbot, task)
    assert outcome == ["cancelled"] and task.state is TaskState.CANCELLED


def test_progress_reaches_the_gui_and_the_last_report_always_arrives(qtbot):
    def count(n, progress):
        for i in range(1, n + 1):
            progress.report(i, n)
        return n

    reports = []
    task = run_in_background(count, 10).on_progress(lambda done, total: reports.append((done, total)))
    wait_finished(qtbot, task)
    assert reports[-1] == (10, 10) and task.result == 10


def test_progress_dialog_stays_hidden_for_quick_work(qtbot):
    task = run_in_background(add, 1, 2)
    visible_at_end = []
    task.on_finished(lambda: visible_at_end.append(dialog.isVisible()))
    dialog = ProgressDialog(task, "保存")
    with qtbot.waitSignal(dialog.destroyed, timeout=5000):
        pass
    assert visible_at_end == [False]


def test_progress_dialog_appears_for_slow_work_and_cancels_it(qtbot):
    task = run_in_background(spin_until_cancelled)
    dialog = ProgressDialog(task, "正在导入客户…", delay_ms=50)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    wait_finished(qtbot, task)
    assert task.state is TaskState.CANCELLED


# -- lazy model ----------------------------------------------------------------------------------
class GeneratedCustomers:
    """A million customers computed from their id on demand; records every call it gets."""

    columns = [Column("id", "编号", RIGHT), Column("name", "客户名称"),
               Column("amount", "应收金额", RIGHT, format_money),
               Column("region", "所在地区", visible=False)]
    sortable_columns = {"id", "name"}

    def __init__(self, size=1_000_000, descending=False, log=None, changes=None):
        self.size, self.descending = size, descending
        self.log = log if log is not None else []  # shared by sorted copies
        self.changes = changes if changes is not None else {}  # id -> new values; None: deleted

    def row(self, i):
        return {"id": i, "name": f"客户{i:07d}", "amount": Decimal(i) / 100, "region": "北京",
                **self.changes.get(i, {})}

    def key(self, row):
        return row["id"]

    def sort_key(self, row):
        return (row["id"],)  # names are zero-padded, so they sort like ids

    def fetch_page(self, after, limit):
        self.log.append(("page", after, limit))
        step = -1 if self.descending else 1
        start = after[0] + step if after else (self.size if self.descending else 1)
        stop = max(start - limit, 0) if self.descending else min(start + limit, self.size + 1)
        return [self.row(i) for i in range(start, stop, step)]

    def fetch_rows(self, keys):
        self.log.append(("rows", list(keys)))
        return [self.row(k) for k in keys if self.changes.get(k, {}) is not None]

    def sorted_by(self, column, descending):
        self.log.append(("sorted_by", column, descending))
        return GeneratedCustomers(self.size, descending, self.log, self.changes)


def show_table(qtbot, source, **model_options):
    model = LazyTableModel(source, **model_options)
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.setModel(model)
    with qtbot.waitSignal(model.sig_page_loaded, timeout=5000):
        view.show()
    return model, view


@pytest.fixture
def table(qtbot):
    source = GeneratedCustomers()
    return (source, *show_table(qtbot, source, max_decoded_rows=1000))


def cell(model, row, column=NAME):
    return model.data(model.index(row, column))


def test_first_page_appears(table):
    source, model, _ = table
    assert model.rowCount() == 200 and cell(model, 0) == "客户0000001"
    assert source.log[0] == ("page", None, 200)


def test_scrolling_to_the_end_fetches_keyset_pages_with_flat_memory(qtbot):
    # 5,000-row pages keep this to 200 round trips; the default 200-row pages cost ~10 ms each.
    source = GeneratedCustomers()
    model, view = show_table(qtbot, source, page_size=5000, max_decoded_rows=10_000)
    most_decoded = 0
    while model.canFetchMore():
        with qtbot.waitSignal(model.sig_page_loaded, timeout=5000):
            view.scrollToBottom()
        most_decoded = max(most_decoded, model.decoded_row_count)
    assert model.rowCount() == 1_000_000 and cell(model, 999_999) == "客户1000000"
    assert most_decoded <= 10_000
    pages = [entry for entry in source.log if entry[0] == "page"]
    assert len(pages) == 201  # the last one came back empty
    assert pages[1] == ("page", (5000,), 5000) and pages[-1] == ("page", (1_000_000,), 5000)


def test_evicted_rows_are_reloaded_by_key_when_seen_again(qtbot, table):
    source, model, view = table
    for _ in range(6):
        with qtbot.waitSignal(model.sig_page_loaded, timeout=5000):
            view.scrollToBottom()
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        assert cell(model, 0) == "…"
    assert cell(model, 0) == "客户0000001"
    assert source.log[-1] == ("rows", list(range(1, 201)))


def test_selection_and_flags_never_load_rows(qtbot, table):
    source, model, view = table
    for _ in range(6):
        with qtbot.waitSignal(model.sig_page_loaded, timeout=5000):
            view.scrollToBottom()
    calls = len(source.log)
    view.selectAll()
    assert all(model.flags(model.index(r, 0)) & Qt.ItemFlag.ItemIsEnabled for r in range(model.rowCount()))
    keys = model.keys_for_selection(view.selectionModel().selection())
    assert keys == list(range(1, 1401)) and len(source.log) == calls
    assert model.row_key(41) == 42 and model.row_of_key(42) == 41


def test_sort_delegates_to_the_source_and_survives_a_new_filter(qtbot, table):
    source, model, _ = table
    with qtbot.waitSignal(model.sig_page_loaded, timeout=5000):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    assert ("sorted_by", "id", True) in source.log and cell(model, 0) == "客户1000000"
    sorted_source = model.source
    model.sort(2, Qt.SortOrder.AscendingOrder)  # amount is not sortable: nothing happens
    assert model.source is sorted_source
    with qtbot.waitSignal(model.sig_page_loaded, timeout=5000):
        model.reset_query(GeneratedCustomers(size=10))
    assert model.rowCount() == 10 and cell(model, 0) == "客户0000010"


def test_refresh_keys_updates_and_blanks_rows(qtbot, table):
    source, model, _ = table
    source.changes.update({5: {"name": "改名客户"}, 6: None})
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        model.refresh_keys([5, 6, 999_999])  # the last one is not shown: nothing to do
    assert source.log[-1] == ("rows", [5, 6])
    assert cell(model, 4) == "改名客户" and cell(model, 5) == ""
    assert not model.flags(model.index(5, 0)) & Qt.ItemFlag.ItemIsEnabled


def test_decimals_are_displayed_exactly():
    assert format_money(Decimal("12345678901234567.89")) == "12,345,678,901,234,567.89"
    assert format_money(Decimal("0.1") + Decimal("0.2")) == "0.30"
    assert [format_quantity(Decimal(v)) for v in ("12.500", "3.000", "100")] == ["12.5", "3", "100"]


def test_money_column_is_exact_and_right_aligned(table):
    _, model, _ = table
    assert model.data(model.index(122, 2)) == "1.23"
    assert model.data(model.index(0, 2), Qt.ItemDataRole.TextAlignmentRole) == RIGHT


def test_column_chooser_persists_hidden_columns(qtbot, table, tmp_path):
    _, model, view = table
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    chooser = ColumnChooser(view, "customer_list/hidden_columns", settings)
    header = view.horizontalHeader()
    assert header.isSectionHidden(3) and not header.isSectionHidden(1)  # Column.visible default
    actions = {a.text(): a for a in chooser.build_menu().actions()}
    actions["所在地区"].setChecked(True)
    actions["客户名称"].setChecked(False)
    with qtbot.waitSignal(model.sig_page_loaded, timeout=5000):
        model.sort(0, Qt.SortOrder.DescendingOrder)  # a reset must not bring the column back
    assert header.isSectionHidden(1) and not header.isSectionHidden(3)
    other_view = QTableView()
    qtbot.addWidget(other_view)
    other_view.setModel(model)
    ColumnChooser(other_view, "customer_list/hidden_columns", settings)
    assert other_view.horizontalHeader().isSectionHidden(1)


# -- font and screenshots ------------------------------------------------------------------------
def test_chinese_label_renders_with_the_shipped_font(qapp, tmp_path):
    assert install_app_font(qapp) == FONT_FAMILY == qapp.font().family()
    label = QLabel("客户管理 · 应收金额 ¥1,234.50")
    raw = QRawFont.fromFont(label.font())
    # by code point: PySide's str overload wrongly denies some characters (管, 理, 金, 额)
    assert all(raw.supportsCharacter(ord(ch)) for ch in "客户管理应收金额")
    image = QImage(str(save_screenshot(label, tmp_path / "docs" / "chinese_label.png")))
    middle_line = {image.pixel(x, image.height() // 2) for x in range(image.width())}
    assert image.width() > 100 and len(middle_line) > 2  # drawn text, not a blank box


def test_reportlab_can_embed_the_font():
    ttfonts = pytest.importorskip("reportlab.pdfbase.ttfonts")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(ttfonts.TTFont(PDF_FONT_NAME, str(font_path()), subfontIndex=PDF_SUBFONT_INDEX))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setFont(PDF_FONT_NAME, 12)
    pdf.drawString(72, 720, "报价单 合计 ¥1,234.50")
    pdf.save()
    assert PDF_FONT_NAME.encode() in out.getvalue()
