"""Every file dialog and message box of the app comes up in Chinese: Qt's own texts (labels,
buttons, dates) too, not only ours."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QPushButton, QTreeView

from crm_desktop.ui.common import file_dialogs

ROOT = Path(__file__).resolve().parents[2] / "crm_desktop"
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in ROOT.rglob("*.py")}


def test_every_file_dialog_goes_through_the_translated_one():
    direct = [str(p.relative_to(ROOT)) for p, text in sources().items()
              if "QFileDialog" in text and p.name != "file_dialogs.py"]
    assert direct == []


def test_the_file_dialog_speaks_chinese_including_dates(qtbot, chinese_ui, tmp_path):
    (tmp_path / "客户.xlsx").write_bytes(b"x")
    for save in (True, False):
        dialog = file_dialogs.make_dialog(None, "导出", str(tmp_path), "Excel (*.xlsx)", save)
        qtbot.addWidget(dialog)
        dialog.show()
        tree = dialog.findChild(QTreeView)
        qtbot.waitUntil(lambda: tree.model().rowCount(tree.rootIndex()) > 0, timeout=5000)
        labels = [w.text().replace("&", "") for w in dialog.findChildren(QLabel) if w.text()]
        buttons = [w.text().replace("&", "") for w in dialog.findChildren(QPushButton) if w.isVisible()]
        assert "查找范围：" in labels and "文件类型：" in labels
        assert not [t for t in labels + buttons if LATIN_WORD.search(t)], labels + buttons
        model = tree.model()
        headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
        assert "修改日期" in headers
        date = model.data(model.index(0, file_dialogs.DATE_COLUMN, tree.rootIndex()))
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", date), date
        dialog.close()


def test_every_message_box_button_the_app_uses_is_chinese(qtbot, chinese_ui):
    used = sorted({name for text in sources().values() for name in re.findall(r"StandardButton\.(\w+)", text)})
    assert {"Ok", "Yes", "No", "Cancel"} <= set(used)
    for name in used:
        box = QMessageBox(QMessageBox.Icon.Question, "标题", "内容", getattr(QMessageBox.StandardButton, name))
        qtbot.addWidget(box)
        text = box.button(getattr(QMessageBox.StandardButton, name)).text().replace("&", "")
        assert not LATIN_WORD.search(text), (name, text)
    assert QLocale().name() == "zh_CN"
    QApplication.processEvents()
