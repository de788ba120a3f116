"""A PrintDocument as a PDF (reportlab): letterhead, parties, lines, totals, 大写金额, signatures.

    pdf = render_pdf(document, letterhead, template)      # bytes

A4 portrait.  The letterhead heads the first page, later pages carry a running header; the lines
table repeats its header row on every page; every page ends with the template's footer and
第 N 页 / 共 M 页; a document that is not approved carries a 草稿 or 未审批 watermark on every page.
Every value is printed as the document holds it: nothing is rounded or added up here.
"""

from __future__ import annotations

import functools
import io
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Image, KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from crm_desktop.printing import fonts
from crm_desktop.printing.capitals import amount_in_words
from crm_desktop.printing.document import Letterhead, PrintDocument, PrintLine, PrintTemplate

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
GRID = colors.HexColor("#9aa5b1")
HEADER_FILL = colors.HexColor("#e8edf3")
WATERMARK_COLOUR = colors.HexColor("#c0392b")

KIND_TITLES = {"quote": "报价单", "sales_order": "销售订单", "contract": "合同"}
ISSUED_LABELS = {"quote": "报价时间", "sales_order": "订单日期", "contract": "签约日期"}
HANDLER_LABELS = {"quote": "报价人", "sales_order": "业务员", "contract": "公司签约人"}
WATERMARKS = {"draft": "草稿"}
WATERMARK_UNAPPROVED = "未审批"

# (key, header, width in mm, alignment); the product column takes the width left over
COLUMNS = (("seq", "序号", 9, TA_CENTER), ("code", "产品编号", 18, TA_LEFT), ("product", "产品名称", 0, TA_LEFT),
           ("category", "类别", 15, TA_LEFT), ("kind", "类型", 13, TA_LEFT), ("spec", "规格型号", 22, TA_LEFT),
           ("quantity", "数量", 15, TA_RIGHT), ("unit", "单位", 10, TA_CENTER),
           ("unit_price", "单价", 19, TA_RIGHT), ("amount", "金额", 21, TA_RIGHT),
           ("discount", "折扣", 12, TA_RIGHT), ("discounted_amount", "折后金额", 21, TA_RIGHT),
           ("note", "备注", 22, TA_LEFT))
MIN_PRODUCT_WIDTH = 34 * mm


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    base = fonts.font_chain()[0].name
    make = functools.partial(ParagraphStyle, fontName=base)
    return {"body": make("body", fontSize=9, leading=12.5),
            "small": make("small", fontSize=7.5, leading=9.5, textColor=colors.HexColor("#333333")),
            "company": make("company", fontSize=16, leading=20),
            "title": make("title", fontSize=18, leading=24, alignment=TA_CENTER, spaceBefore=2, spaceAfter=4),
            "label": make("label", fontSize=9, leading=12.5, textColor=colors.HexColor("#44505c")),
            "cell": make("cell", fontSize=8, leading=10),
            "cell_right": make("cell_right", fontSize=8, leading=10, alignment=TA_RIGHT),
            "cell_centre": make("cell_centre", fontSize=8, leading=10, alignment=TA_CENTER),
            "heading": make("heading", fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3)}


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(fonts.markup(text), _styles()[style])


# -- values as printed ----------------------------------------------------------------------------
def money(value: Decimal | None) -> str:
    """12,345.67 — two places, or every place the value really has (a unit price of 0.1234)."""
    if value is None:
        return ""
    cents = value.quantize(Decimal("0.01")) if value == value.quantize(Decimal("0.01")) else value.normalize()
    return f"{cents:,f}"


def quantity(value: Decimal) -> str:
    """As many places as the quantity has: 3, 2.5, 0.125."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def percent(rate: Decimal) -> str:
    """A rate 0.95 as 95%."""
    return f"{(rate * 100).normalize():f}%"


def day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


# -- the page furniture: watermark, running header, footer with 第 N 页 / 共 M 页 ------------------
class _PageFurniture:
    def __init__(self, document: PrintDocument, letterhead: Letterhead, title: str, footer: str):
        self.document, self.letterhead, self.title, self.footer = document, letterhead, title, footer
        approved = document.approval_status == "approved"
        self.watermark = "" if approved else WATERMARKS.get(document.approval_status, WATERMARK_UNAPPROVED)

    def first_page(self, canvas, _doc) -> None:
        self._watermark(canvas)

    def later_page(self, canvas, _doc) -> None:
        self._watermark(canvas)
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#44505c"))
        top = PAGE_HEIGHT - MARGIN + 4 * mm
        fonts.draw_string(canvas, MARGIN, top, self.letterhead.name, 8)
        fonts.draw_string(canvas, PAGE_WIDTH - MARGIN, top, f"{self.title}  {self.document.number}", 8, "right")
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 2 * mm, PAGE_WIDTH - MARGIN, top - 2 * mm)
        canvas.restoreState()

    def _watermark(self, canvas) -> None:
        if not self.watermark:
            return
        canvas.saveState()
        canvas.setFillColor(WATERMARK_COLOUR, alpha=0.13)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(35)
        size = 130 if len(self.watermark) <= 2 else 100
        fonts.draw_string(canvas, 0, -size / 3, self.watermark, size, "centre")
        canvas.restoreState()

    def footer_line(self, canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#44505c"))
        y = MARGIN - 7 * mm
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y + 4 * mm, PAGE_WIDTH - MARGIN, y + 4 * mm)
        if self.footer:
            fonts.draw_string(canvas, MARGIN, y, self.footer, 8)
        fonts.draw_string(canvas, PAGE_WIDTH - MARGIN, y, f"第 {page} 页 / 共 {pages} 页", 8, "right")
        canvas.restoreState()


class _NumberedCanvas(pdf_canvas.Canvas):
    """Holds every page back until the last, so each footer can say how many pages there are."""

    def __init__(self, *args, furniture: _PageFurniture, **kwargs):
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._furniture.footer_line(self, number, total)
            super().showPage()
        super().save()


# -- the story ------------------------------------------------------------------------------------
def _letterhead_block(letterhead: Letterhead) -> list:
    lines = [("地址", letterhead.address), ("电话", letterhead.phone), ("传真", letterhead.fax),
             ("E-mail", letterhead.email), ("网址", letterhead.website),
             ("开户行及账号", letterhead.bank), ("税号", letterhead.tax_number), *letterhead.extra]
    details = "　".join(f"{label}：{value}" for label, value in lines if value)
    text = [_p(letterhead.name, "company")] + ([_p(details, "small")] if details else [])
    cells, widths = [text], [BODY_WIDTH]
    if letterhead.logo_png:
        image = _logo(letterhead.logo_png)
        cells, widths = [image, text], [image.drawWidth + 4 * mm, BODY_WIDTH - image.drawWidth - 4 * mm]
    table = Table([cells], colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("LINEBELOW", (0, 0), (-1, -1), 1, colors.HexColor("#2c3e50")),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return [table]


def _logo(data: bytes) -> Image:
    """The logo at most 18 mm high and 45 mm wide, its proportions kept."""
    width, height = ImageReader(io.BytesIO(data)).getSize()
    scale = min(18 * mm / height, 45 * mm / width)
    return Image(io.BytesIO(data), width=width * scale, height=height * scale)


def _info_grid(document: PrintDocument) -> Table:
    party, kind = document.party, document.kind
    phones = " / ".join(p for p in (party.phone, party.mobile) if p)
    pairs = [("客户名称", party.name), ("编号", document.number),
             ("联系人", party.contact), (ISSUED_LABELS[kind], day(document.issued)),
             ("电话", phones), (HANDLER_LABELS[kind], document.handler),
             ("E-mail", party.email)]
    pairs.append(("有效期至", day(document.valid_until)) if kind == "quote" else ("", ""))
    pairs += list(document.fields)
    if len(pairs) % 2:
        pairs.append(("", ""))
    rows = [[_p(f"{a}：" if a else "", "label"), _p(va), _p(f"{b}：" if b else "", "label"), _p(vb)]
            for (a, va), (b, vb) in zip(pairs[0::2], pairs[1::2])]
    wide = [("地址", party.address)] + ([("主题", document.title)] if document.title else [])
    spans = []
    for label, value in wide:
        if value:
            spans.append(("SPAN", (1, len(rows)), (3, len(rows))))
            rows.append([_p(f"{label}：", "label"), _p(value), "", ""])
    table = Table(rows, colWidths=[20 * mm, BODY_WIDTH / 2 - 20 * mm, 22 * mm, BODY_WIDTH / 2 - 22 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               *spans]))
    return table


def _columns(hidden: frozenset[str]) -> list[tuple[str, str, float, int]]:
    shown = [(key, header, width * mm, align) for key, header, width, align in COLUMNS if key not in hidden]
    fixed = sum(width for _k, _h, width, _a in shown)
    product = BODY_WIDTH - fixed
    if product < MIN_PRODUCT_WIDTH:  # too many columns: every fixed one gives up the same share
        scale = (BODY_WIDTH - MIN_PRODUCT_WIDTH) / fixed
        shown = [(k, h, w * scale, a) for k, h, w, a in shown]
        product = MIN_PRODUCT_WIDTH
    return [(k, h, w or product, a) for k, h, w, a in shown]


_ALIGN_STYLE = {TA_LEFT: "cell", TA_RIGHT: "cell_right", TA_CENTER: "cell_centre"}
_ALIGN_NAMES = {TA_LEFT: "LEFT", TA_RIGHT: "RIGHT", TA_CENTER: "CENTER"}
CELL_FONT_SIZE = 8
CELL_PADDING = 2.5


def _line_values(number: int, line: PrintLine) -> dict[str, str]:
    discounted = line.amount if line.discounted_amount is None else line.discounted_amount
    return {"seq": str(number), "code": line.code, "product": line.product, "category": line.category,
            "kind": line.kind, "spec": line.spec, "quantity": quantity(line.quantity), "unit": line.unit,
            "unit_price": money(line.unit_price), "amount": money(line.amount), "discount": percent(line.discount),
            "discounted_amount": money(discounted), "note": line.note}


def _cell(text: str, width: float, align: int) -> str | Paragraph:
    """Plain lines where the CJK font has every character (tables draw those many times faster
    than paragraphs), else a paragraph that wraps and switches fonts per run."""
    plain = fonts.wrap_plain(text, CELL_FONT_SIZE, width - 2 * CELL_PADDING)
    if plain is not None:
        return plain
    lines = fonts.wrap_lines(text, CELL_FONT_SIZE, width - 2 * CELL_PADDING - 0.5)
    return Paragraph("<br/>".join(fonts.markup(line) for line in lines), _styles()[_ALIGN_STYLE[align]])


def _lines_table(document: PrintDocument, hidden: frozenset[str]) -> Table:
    columns = _columns(hidden)
    rows = [[_p(header, "cell_centre") for _k, header, _w, _a in columns]]
    for number, line in enumerate(document.lines, start=1):
        values = _line_values(number, line)
        rows.append([_cell(values[key], width, align) for key, _h, width, align in columns])
    totals = {"quantity": quantity(document.total_quantity), "amount": money(document.total_amount),
              "discount": percent(document.discount), "discounted_amount": money(document.discounted_total)}
    totals["product"] = "合计"  # no span: a spanned cell makes every page break re-measure the table
    rows.append([totals.get(key, "") for key, _h, _w, _a in columns])
    # LongTable measures only the rows that fit on the page at each break (Table re-measures them all)
    table = LongTable(rows, colWidths=[w for _k, _h, w, _a in columns], repeatRows=1)
    last = len(rows) - 1
    style = [("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
             ("BACKGROUND", (0, last), (-1, last), HEADER_FILL), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
             ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
             ("FONT", (0, 1), (-1, -1), fonts.font_chain()[0].name, CELL_FONT_SIZE, CELL_FONT_SIZE + 2),
             *[("ALIGN", (i, 1), (i, -1), _ALIGN_NAMES[align]) for i, (_k, _h, _w, align) in enumerate(columns)]]
    table.setStyle(TableStyle(style))
    return table


def _amount_block(document: PrintDocument) -> list:
    payable = document.discounted_total
    rows = [[_p("合计金额（大写）：", "label"), _p(amount_in_words(payable)),
             _p("（小写）：", "label"), _p(f"¥{money(payable)}")]]
    table = Table(rows, colWidths=[36 * mm, BODY_WIDTH - 36 * mm - 60 * mm, 24 * mm, 36 * mm])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    story: list = [Spacer(1, 2 * mm), table]
    if document.kind == "quote" and document.valid_until:
        story.append(_p(f"本报价有效期至 {day(document.valid_until)}，逾期需重新报价。"))
    return story


def _payment_plan(document: PrintDocument) -> list:
    if not document.payment_plan:
        return []
    rows = [[_p(h, "cell_centre") for h in ("期次", "付款日期", "金额", "说明")]]
    for number, instalment in enumerate(document.payment_plan, start=1):
        rows.append([_p(f"第 {number} 期", "cell_centre"), _p(day(instalment.due), "cell_centre"),
                     _p(money(instalment.amount), "cell_right"), _p(instalment.note, "cell")])
    table = Table(rows, colWidths=[20 * mm, 30 * mm, 35 * mm, BODY_WIDTH - 85 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [_p(f"付款计划（共 {len(document.payment_plan)} 期）", "heading"), table]


def _notes(document: PrintDocument) -> list:
    story = []
    if document.notes:
        story += [_p("备注", "heading"), _p(document.notes)]
    if document.approval_status == "approved" and document.approved_by:
        at = document.approved_at.strftime("%Y-%m-%d %H:%M") if document.approved_at else ""
        story.append(_p(f"审批：{document.approved_by}　{at}", "small"))
    return story


def _signatures(document: PrintDocument, letterhead: Letterhead) -> list:
    party = document.party
    if document.kind == "contract":
        ours = [f"乙方：{letterhead.name}", f"代表签字：{document.handler}　　　　", "盖章：", "日期："]
        theirs = [f"甲方：{party.name}", "代表签字：", "盖章：", "日期："]
    elif document.kind == "quote":
        ours = [f"报价单位（盖章）：{letterhead.name}", f"报价人：{document.handler}", "日期："]
        theirs = [f"客户确认（签字盖章）：{party.name}", "签字：", "日期："]
    else:
        ours = [f"供方（盖章）：{letterhead.name}", f"业务员：{document.handler}", "日期："]
        theirs = [f"需方（签字盖章）：{party.name}", "签字：", "日期："]
    rows = [[_p(a), _p(b)] for a, b in zip(theirs, ours)]
    table = Table(rows, colWidths=[BODY_WIDTH / 2] * 2)
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 5), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("LINEABOVE", (0, 0), (-1, 0), 0.5, GRID)]))
    return [Spacer(1, 8 * mm), KeepTogether(table)]


def story(document: PrintDocument, letterhead: Letterhead, template: PrintTemplate) -> list:
    title = template.title or KIND_TITLES[document.kind]
    return [*_letterhead_block(letterhead), Spacer(1, 3 * mm), _p(title, "title"), _info_grid(document),
            Spacer(1, 3 * mm), _lines_table(document, template.hidden_columns), *_amount_block(document),
            *_payment_plan(document), *_notes(document), *_signatures(document, letterhead)]


def render_pdf(document: PrintDocument, letterhead: Letterhead, template: PrintTemplate | None = None) -> bytes:
    """The document as PDF bytes (reproducible: the same input gives the same bytes)."""
    if document.kind not in KIND_TITLES:
        raise ValueError(f"cannot print a document of kind {document.kind!r}")
    template = template or PrintTemplate(document.kind)
    title = template.title or KIND_TITLES[document.kind]
    furniture = _PageFurniture(document, letterhead, title, template.footer)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 2 * mm, bottomMargin=MARGIN + 2 * mm, invariant=True,
                            title=f"{title} {document.number}", author=letterhead.name,
                            subject=document.party.name, creator="CRM desktop")
    pdf.build(story(document, letterhead, template), onFirstPage=furniture.first_page,
              onLaterPages=furniture.later_page,
              canvasmaker=functools.partial(_NumberedCanvas, furniture=furniture,
                                            initialFontName=fonts.font_chain()[0].name))
    return buffer.getvalue()
