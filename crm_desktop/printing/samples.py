"""Example documents of the demo company: the template screen previews them, docs/samples/ shows them.

They are consistent the way a real document is (every line amount is quantity × price, the totals
are the sums of the lines, the discount is spread with the remainder on the largest line), and
they carry the characters other CRMs garble: m² m³ µm ±0.5 25℃ 3×4, and rare names (䶮, 𠮷).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from crm_desktop.printing.document import Instalment, Letterhead, Party, PrintDocument, PrintLine

CENT = Decimal("0.01")

LETTERHEAD = Letterhead(
    name="全程软件", address="上海市浦东新区张江高科技园区碧波路 690 号 3 幢 501 室",
    phone="021-5080 1234", fax="021-5080 1235", email="sales@quancheng.example", website="www.quancheng.example",
    bank="招商银行上海张江支行 1219 0866 1010 801", tax_number="91310115MA1H7XQ25K")

PARTY = Party(name="上海恒瑞精密仪器有限公司", address="上海市闵行区莘庄工业区春东路 508 号",
              contact="刘䶮（采购部经理）", phone="021-6489 2200", mobile="139 1688 2046",
              email="liuyan@hengrui.example")

# product, spec, quantity, unit, unit price, line discount, code, category, kind
_PRODUCTS = [
    ("恒温恒湿试验箱", "容积 1.2 m³，-40～150℃ ±0.5℃", "1", "台", "86500.00", "0.95", "SY-0101", "试验设备", "整机"),
    ("激光测厚仪", "量程 0–20 mm，精度 ±1 µm", "2", "台", "23800.00", "1", "CL-0203", "测量仪器", "整机"),
    ("洁净工作台", "工作区 1.5 m²，风速 0.3–0.5 m/s", "3", "台", "9600.00", "0.9", "JJ-0305", "洁净设备", "整机"),
    ("不锈钢样品架", "600×400×1800 mm，304 材质", "6", "个", "1280.00", "1", "PJ-1102", "配件", "配件"),
    ("标准砝码组 𠮷字号", "1 mg–500 g，E2 级", "1", "套", "4560.00", "1", "PJ-1207", "配件", "计量器具"),
    ("安装调试服务", "含上门安装、培训 2 人×1 天", "1", "项", "3000.00", "1", "FW-0001", "服务", "服务"),
]


def _lines(count: int | None = None, document_discount: Decimal = Decimal("0.98")) -> tuple:
    products = _PRODUCTS if count is None else [_PRODUCTS[i % len(_PRODUCTS)] for i in range(count)]
    raw = []
    for name, spec, qty, unit, price, rate, code, category, kind in products:
        qty, price, rate = Decimal(qty), Decimal(price), Decimal(rate)
        amount = (qty * price).quantize(CENT, ROUND_HALF_UP)
        raw.append([name, spec, qty, unit, price, rate, code, category, kind, amount,
                    (amount * rate).quantize(CENT, ROUND_HALF_UP)])
    line_total = sum(r[10] for r in raw)
    target = (line_total * document_discount).quantize(CENT, ROUND_HALF_UP)
    shares = [(r[10] * document_discount).quantize(CENT, ROUND_HALF_UP) for r in raw]
    largest = max(range(len(raw)), key=lambda i: raw[i][10])
    shares[largest] += target - sum(shares)  # the rounding remainder goes to the largest line
    lines = tuple(PrintLine(product=r[0], spec=r[1], quantity=r[2], unit=r[3], unit_price=r[4], discount=r[5],
                            code=r[6], category=r[7], kind=r[8], amount=r[9], discounted_amount=share)
                  for r, share in zip(raw, shares))
    return lines, sum(r[9] for r in raw), target, sum(r[2] for r in raw)


def sample_quote(lines: int | None = None, approval_status: str = "pending") -> PrintDocument:
    items, total, discounted, qty = _lines(lines)
    return PrintDocument(
        kind="quote", number="NO-0001", issued=date(2026, 12, 1), party=PARTY, handler="陈静", lines=items,
        total_quantity=qty, total_amount=total, discount=Decimal("0.98"), discounted_total=discounted,
        approval_status=approval_status, valid_until=date(2026, 12, 31), title="实验室设备采购报价",
        notes="价格含 13% 增值税及运费；交货期为合同签订后 30 天；质保 12 个月。\n试验箱工作温度 25℃±2℃，湿度 45%～85%。",
        version=3)


def sample_order(approval_status: str = "approved") -> PrintDocument:
    items, total, discounted, qty = _lines()
    return PrintDocument(
        kind="sales_order", number="XS201205230003", issued=date(2026, 12, 2), party=PARTY, handler="陈静",
        lines=items, total_quantity=qty, total_amount=total, discount=Decimal("0.98"), discounted_total=discounted,
        approval_status=approval_status, approved_by="王芳", approved_at=datetime(2026, 12, 2, 15, 30),
        fields=(("来源报价单", "NO-0001（第 3 版）"), ("交货方式", "送货上门")), notes="请于收货后 3 日内验收。")


def sample_contract(approval_status: str = "draft") -> PrintDocument:
    items, total, discounted, qty = _lines()
    first = (discounted * Decimal("0.3")).quantize(CENT, ROUND_HALF_UP)
    second = (discounted * Decimal("0.6")).quantize(CENT, ROUND_HALF_UP)
    plan = (Instalment(date(2026, 12, 10), first, "预付款 30%"),
            Instalment(date(2027, 1, 15), second, "到货验收后 60%"),
            Instalment(date(2027, 12, 15), discounted - first - second, "质保金 10%，质保期满后支付"))
    return PrintDocument(
        kind="contract", number="HT20261202001", issued=date(2026, 12, 2), party=PARTY, handler="李华",
        lines=items, total_quantity=qty, total_amount=total, discount=Decimal("0.98"), discounted_total=discounted,
        approval_status=approval_status, title="实验室设备买卖合同",
        fields=(("收支类型", "收入"), ("支付方式", "分期付款")), payment_plan=plan,
        notes="一、乙方按本合同约定的规格（见上表）供货，设备到达甲方指定地点后 7 日内完成安装调试。\n"
              "二、争议由双方协商解决；协商不成的，提交乙方所在地人民法院诉讼解决。")


def demo_logo_png() -> bytes:
    """The demo company's logo: 全程 in white on a blue disc (drawn here, so no image file is shipped)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    from crm_desktop.ui.common.fonts import font_path

    image = Image.new("RGBA", (240, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 236, 236), fill=(26, 82, 150, 255))
    font = ImageFont.truetype(str(font_path()), 92, index=0)
    draw.text((120, 122), "全程", font=font, fill="white", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
