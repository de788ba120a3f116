"""The one lazy table model of the app: keyset pages fetched off the GUI thread as rows scroll in.

Memory strategy: the model keeps the primary key of every row fetched so far (a list, cheap, so that
selection and ``row_key`` never need data) plus at most ``max_decoded_rows`` decoded rows in an LRU
cache. A row evicted from the cache is re-read by key (``fetch_rows``) when it scrolls back into
view; until it arrives its cells show "…". A key whose row is gone shows as an empty disabled row.
New rows (e.g. another PC inserted one) only appear after ``reload()``/``reset_query()``.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Collection, Hashable, Mapping, Protocol, Sequence

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import QMenu, QTableView
from shiboken6 import isValid

from crm_desktop.ui.common.tasks import run_in_background

Row = Mapping[str, Any]  # column name -> value, e.g. SQLAlchemy's ``result.mappings()``
Key = Hashable
SortKey = tuple

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # data(index, KEY_ROLE) is the row's primary key
_NOT_LOADED = object()
# data() and headerData() run hundreds of times per repaint: compare plain ints, not enum members.
_DISPLAY, _ALIGNMENT = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.TextAlignmentRole)
_SELECTABLE = Qt.ItemFlag.ItemIsSelectable
_SELECTABLE_ENABLED = _SELECTABLE | Qt.ItemFlag.ItemIsEnabled


def _local(value: datetime) -> datetime:
    """A time from the server (timestamptz) in this workstation's time zone."""
    return value.astimezone() if value.tzinfo is not None else value


def format_value(value: Any) -> str:
    """Default cell text; Decimal is printed exactly (never through float), times in local time."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def format_day(value: date | None) -> str:
    """The (local) day of a date or time."""
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d")
    return "" if value is None else value.isoformat()


REGION_SEPARATOR = " / "


def format_region(path: str | None) -> str:
    """A region's stored path (中国.四川省.成都) as every screen shows it: 中国 / 四川省 / 成都."""
    return (path or "").replace(".", REGION_SEPARATOR)


def format_money(value: Decimal | None) -> str:
    """1234567.5 -> '1,234,567.50', using Decimal's own formatting."""
    return "" if value is None else f"{value:,.2f}"


def format_quantity(value: Decimal | int | None) -> str:
    """Decimal('12.500') -> '12.5'; trailing zeros are stripped as text to stay exact."""
    text = format_value(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Column:
    name: str  # key in the row mapping and in persisted settings
    title: str  # header text, already translated
    align: Qt.AlignmentFlag = LEFT
    formatter: Callable[[Any], str] = format_value
    visible: bool = True  # before the user has chosen columns


class PageSource(Protocol):
    """One query (filter + order) the model pages through. Fetch methods run on worker threads,
    so each call opens its own database session and must not touch Qt objects."""

    columns: Sequence[Column]
    sortable_columns: Collection[str]  # Column.name values that sorted_by() accepts

    def key(self, row: Row) -> Key:
        """The row's primary key."""

    def sort_key(self, row: Row) -> SortKey:
        """The row's position in this order; unique, so it ends with the primary key."""

    def fetch_page(self, after: SortKey | None, limit: int) -> list[Row]:
        """Up to ``limit`` rows following ``after`` (None: from the start); fewer means the end."""

    def fetch_rows(self, keys: Sequence[Key]) -> list[Row]:
        """The current rows for ``keys`` in any order; rows gone or no longer visible are omitted."""

    def sorted_by(self, column: str, descending: bool) -> PageSource:
        """The same filter in a new order."""


class WithColumns:
    """A service's page source (which knows no Qt) as a ``PageSource``: the Qt column of each of its
    ``column_specs`` made by ``column_of``; a new order keeps the same columns.  ``inner`` is the
    service's source (its filter, its export)."""

    def __init__(self, inner: Any, column_of: Callable[[Any], Column]):
        self.inner, self._column_of = inner, column_of
        self.sortable_columns = inner.sortable_columns
        self.columns = [column_of(spec) for spec in inner.column_specs]

    def key(self, row: Row) -> Key:
        return self.inner.key(row)

    def sort_key(self, row: Row) -> SortKey:
        return self.inner.sort_key(row)

    def fetch_page(self, after: SortKey | None, limit: int) -> list[Row]:
        return self.inner.fetch_page(after, limit)

    def fetch_rows(self, keys: Sequence[Key]) -> list[Row]:
        return self.inner.fetch_rows(keys)

    def sorted_by(self, column: str, descending: bool) -> "WithColumns":
        return WithColumns(self.inner.sorted_by(column, descending), self._column_of)


class LazyTableModel(QAbstractTableModel):
    sig_page_loaded = Signal(int, int)
    """A page arrived. Parameters: first_row, count (0 or < page_size: the end was reached)."""
    sig_fetch_failed = Signal(object)
    """A page or a reload failed. Parameters: error (the exception)."""

    def __init__(self, source: PageSource, page_size: int = 200, max_decoded_rows: int = 2000,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.page_size = page_size
        self.max_decoded_rows = max(max_decoded_rows, 2 * page_size)  # a visible screen must fit
        self._sort: tuple[str, bool] | None = None
        self._generation = 0  # results of an older query are dropped
        self.reset_query(source)

    # -- queries ---------------------------------------------------------------------------------
    @property
    def source(self) -> PageSource:
        return self._source

    @property
    def columns(self) -> Sequence[Column]:
        return self._source.columns

    def reset_query(self, source: PageSource) -> None:
        """Show another filter; the current sort is kept."""
        self.beginResetModel()
        self._generation += 1
        self._source = source.sorted_by(*self._sort) if self._sort else source
        self._keys: list[Key] = []
        self._decoded: OrderedDict[int, Row | None] = OrderedDict()
        self._loading_blocks: set[int] = set()
        self._after: SortKey | None = None
        self._exhausted = self._appending = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def reload(self) -> None:
        self.reset_query(self._source)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Header click: ask the source for the new order; unsortable columns are ignored."""
        name = self.columns[column].name if 0 <= column < len(self.columns) else None
        if name not in self._source.sortable_columns:
            return
        wanted = (name, order == Qt.SortOrder.DescendingOrder)
        if wanted != self._sort:
            self._sort = wanted
            self.reset_query(self._source)

    # -- keys, never loading rows ----------------------------------------------------------------
    @property
    def decoded_row_count(self) -> int:
        return len(self._decoded)

    def row_key(self, row: int) -> Key:
        return self._keys[row]

    def row_of_key(self, key: Key) -> int | None:
        try:
            return self._keys.index(key)
        except ValueError:
            return None

    def keys_for_selection(self, selection: QItemSelection) -> list[Key]:
        """Keys of selected rows in order, read from ranges so Select All costs no data."""
        rows = dict.fromkeys(r for rng in selection for r in range(rng.top(), rng.bottom() + 1))
        return [self._keys[r] for r in rows]

    # -- Qt model interface ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role != _DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return str(section + 1)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if self._decoded.get(index.row(), _NOT_LOADED) is None:  # deleted since listed
            return _SELECTABLE
        return _SELECTABLE_ENABLED

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if role == _DISPLAY:
            row = self._decoded_row(index.row())
            if row is _NOT_LOADED:
                return "…"
            column = self.columns[index.column()]
            return "" if row is None else column.formatter(row[column.name])
        if role == _ALIGNMENT:
            return self.columns[index.column()].align
        if role == KEY_ROLE:
            return self._keys[index.row()]
        return None

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:
        if parent.isValid() or self._exhausted or self._appending:
            return
        self._appending = True
        generation = self._generation
        (run_in_background(self._source.fetch_page, self._after, self.page_size)
         .on_success(lambda rows: self._append_page(generation, rows))
         .on_failure(lambda error: self._fail(generation, error)))

    def fetch_to_end(self, then: Callable[[], None]) -> None:
        """Read every remaining page (Ctrl+End), then call ``then``; a new query cancels it."""
        self._to_end = (self._generation, then)
        if self._exhausted:
            self._finish_to_end()
        else:
            self.fetchMore()

    def _finish_to_end(self) -> None:
        pending, self._to_end = getattr(self, "_to_end", None), None
        if pending is not None and pending[0] == self._generation:
            pending[1]()

    @property
    def sort_order(self) -> tuple[str, bool] | None:
        """(column name, descending) chosen by a header click, or None (the source's own order)."""
        return self._sort

    # -- loading ---------------------------------------------------------------------------------
    def _append_page(self, generation: int, rows: list[Row]) -> None:
        if not isValid(self) or generation != self._generation:  # a page arriving after the view closed
            return
        self._appending = False
        self._exhausted = len(rows) < self.page_size
        first = len(self._keys)
        if rows:
            self._insert_rows(first, rows)
        self.sig_page_loaded.emit(first, len(rows))
        if getattr(self, "_to_end", None) is not None:
            if self._exhausted:
                self._finish_to_end()
            else:
                self.fetchMore()

    def _insert_rows(self, first: int, rows: list[Row]) -> None:
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._keys.extend(self._source.key(row) for row in rows)
        self._decoded.update(zip(range(first, first + len(rows)), rows))
        self._after = self._source.sort_key(rows[-1])  # keyset: the next page starts after it
        self.endInsertRows()
        self._evict()

    def _decoded_row(self, row: int) -> Row | None | object:
        if row in self._decoded:
            self._decoded.move_to_end(row)  # recently painted rows are evicted last
            return self._decoded[row]
        self._load_rows(row // self.page_size)
        return _NOT_LOADED

    def _load_rows(self, block: int) -> None:
        """Re-read an evicted block of rows by key, off the GUI thread."""
        if block in self._loading_blocks:
            return
        loading = self._loading_blocks  # the set of this query, not of a later reset
        loading.add(block)
        start = block * self.page_size
        rows = range(start, min(start + self.page_size, len(self._keys)))
        self._fetch_by_key(rows).on_finished(lambda: loading.discard(block))

    def refresh_keys(self, keys: Collection[Key]) -> None:
        """Reload the shown rows with these keys (after a NOTIFY); rows not decoded need nothing."""
        wanted = set(keys)
        rows = sorted(r for r in self._decoded if self._keys[r] in wanted)
        if rows:
            self._fetch_by_key(rows)

    def _fetch_by_key(self, rows: Sequence[int]):
        generation, keys = self._generation, [self._keys[r] for r in rows]
        return (run_in_background(self._source.fetch_rows, keys)
                .on_success(lambda found: self._store_rows(generation, rows, found))
                .on_failure(lambda error: self._fail(generation, error)))

    def _store_rows(self, generation: int, rows: Sequence[int], found: list[Row]) -> None:
        if not isValid(self) or generation != self._generation:
            return
        by_key = {self._source.key(row): row for row in found}
        for r in rows:
            self._decoded[r] = by_key.get(self._keys[r])  # None: the row is gone
            self._decoded.move_to_end(r)
        self._evict()
        last_column = self.columnCount() - 1
        self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], last_column))

    def _evict(self) -> None:
        while len(self._decoded) > self.max_decoded_rows:
            self._decoded.popitem(last=False)

    def _fail(self, generation: int, error: BaseException) -> None:
        if isValid(self) and generation == self._generation:
            self._appending = False
            self.sig_fetch_failed.emit(error)


class TableHabits(QObject):
    """What every lazy list does (made by ``ColumnChooser``): column widths and the sort order are
    kept in QSettings beside the hidden columns and restored; a header click on a column the source
    cannot sort leaves the arrow where the order really is; Ctrl+End reads the remaining pages and
    goes to the real last row (Ctrl+Home to the first)."""

    def __init__(self, view: QTableView, base_key: str, settings: QSettings):
        super().__init__(view)
        self._view, self._settings = view, settings
        self.widths_key, self.sort_key = f"{base_key}/column_widths", f"{base_key}/sort"
        self._save_timer = QTimer(self, singleShot=True, interval=300)
        self._save_timer.timeout.connect(self.save_widths)
        header = view.horizontalHeader()
        self.remember_default_indicator()
        self.restore()
        header.sectionResized.connect(lambda *_: self._save_timer.start())
        header.sortIndicatorChanged.connect(self._sort_clicked)
        view.installEventFilter(self)

    def _model(self) -> LazyTableModel:
        return self._view.model()

    def restore(self) -> None:
        model, header = self._model(), self._view.horizontalHeader()
        names = [c.name for c in model.columns]
        saved = str(self._settings.value(self.widths_key, "") or "")
        for item in filter(None, saved.split(",")):
            name, _, width = item.rpartition("=")
            if name in names and width.isdigit() and int(width) > 0:
                header.resizeSection(names.index(name), int(width))
        order = str(self._settings.value(self.sort_key, "") or "")
        name, _, direction = order.rpartition(":")
        if name in names and name in model.source.sortable_columns:
            descending = direction == "desc"
            header.blockSignals(True)
            header.setSortIndicator(names.index(name), Qt.SortOrder.DescendingOrder if descending
                                    else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            model.sort(names.index(name), Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)

    def save_widths(self) -> None:
        if not isValid(self._view):
            return
        header, columns = self._view.horizontalHeader(), self._model().columns
        self._settings.setValue(self.widths_key, ",".join(
            f"{c.name}={header.sectionSize(i)}" for i, c in enumerate(columns) if not header.isSectionHidden(i)))

    def _sort_clicked(self, section: int, order: Qt.SortOrder) -> None:
        model, header = self._model(), self._view.horizontalHeader()
        columns = model.columns
        name = columns[section].name if 0 <= section < len(columns) else None
        if name in model.source.sortable_columns:
            self._settings.setValue(self.sort_key, f"{name}:{'desc' if order == Qt.SortOrder.DescendingOrder else 'asc'}")
            return
        current = model.sort_order  # unsortable: the arrow goes back to the order the rows are in
        names = [c.name for c in columns]
        QTimer.singleShot(0, lambda: self._put_indicator_back(current, names))

    def _put_indicator_back(self, current, names) -> None:
        if not isValid(self._view):
            return
        header = self._view.horizontalHeader()
        header.blockSignals(True)
        if current is not None and current[0] in names:
            header.setSortIndicator(names.index(current[0]), Qt.SortOrder.DescendingOrder if current[1]
                                    else Qt.SortOrder.AscendingOrder)
        else:
            header.setSortIndicator(self._default_section, self._default_order)
        header.blockSignals(False)

    def remember_default_indicator(self) -> None:
        header = self._view.horizontalHeader()
        self._default_section, self._default_order = header.sortIndicatorSection(), header.sortIndicatorOrder()

    _default_section, _default_order = -1, Qt.SortOrder.AscendingOrder

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if (watched is self._view and event.type() == QEvent.Type.KeyPress
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier
                and event.key() in (Qt.Key.Key_End, Qt.Key.Key_Home)):
            if event.key() == Qt.Key.Key_End:
                self._model().fetch_to_end(self._go_to_last_row)
            else:
                self._go_to_row(0)
            return True
        return super().eventFilter(watched, event)

    def _go_to_last_row(self) -> None:
        self._go_to_row(self._model().rowCount() - 1)

    def _go_to_row(self, row: int) -> None:
        if row < 0 or not isValid(self._view):
            return
        index = self._model().index(row, max(self._view.currentIndex().column(), 0))
        self._view.setCurrentIndex(index)
        self._view.scrollTo(index)


class ColumnChooser(QObject):
    """Right-click on a view's header: tick which columns show; kept in QSettings under a key.
    Also gives the view the ``TableHabits`` (widths, sort order, Ctrl+End) under the same key."""

    def __init__(self, view: QTableView, settings_key: str, settings: QSettings | None = None):
        super().__init__(view)
        self._view, self._key = view, settings_key
        self._settings = settings if settings is not None else QSettings()
        self.habits = TableHabits(view, settings_key.rsplit("/", 1)[0], self._settings)
        header = view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_menu)
        view.model().modelReset.connect(self.apply)  # a reset shows every section again
        self.apply()

    def _columns(self) -> Sequence[Column]:
        return self._view.model().columns

    def hidden_names(self) -> set[str]:
        saved = self._settings.value(self._key)
        if saved is None:
            return {c.name for c in self._columns() if not c.visible}
        return {name for name in str(saved).split(",") if name}

    def apply(self) -> None:
        hidden = self.hidden_names()
        for section, column in enumerate(self._columns()):
            self._view.horizontalHeader().setSectionHidden(section, column.name in hidden)

    def set_column_visible(self, name: str, visible: bool) -> None:
        hidden = self.hidden_names() - {name} if visible else self.hidden_names() | {name}
        if all(c.name in hidden for c in self._columns()):
            return  # an empty table cannot be right-clicked back
        self._settings.setValue(self._key, ",".join(sorted(hidden)))
        self.apply()

    def _show_menu(self, pos) -> None:
        menu = self.build_menu()
        menu.exec(self._view.horizontalHeader().mapToGlobal(pos))
        menu.deleteLater()

    def build_menu(self) -> QMenu:
        menu, hidden = QMenu(self._view), self.hidden_names()
        for column in self._columns():
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(column.name not in hidden)
            action.toggled.connect(lambda on, name=column.name: self.set_column_visible(name, on))
        return menu
