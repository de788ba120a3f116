"""The demo product catalogue: a 3-level category tree, units with conversions, types, custom fields
and a few hundred products that later sales documents use.  Deterministic; running it again adds
nothing.  Numbers are drawn by the database (FH-<category code>-001 …)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from crm_desktop.db.connection import Database
from crm_desktop.model.product import (Product, ProductCategory, ProductCustomField, ProductType, Unit,
                                       UnitConversion)

UNITS = ("个", "台", "套", "打", "半打", "箱", "张", "令", "次")
# (from, to, factor): 1 from = factor to
CONVERSIONS = (("打", "个", 12), ("半打", "个", 6), ("箱", "个", 24), ("令", "张", 500))
TYPES = ("硬件", "软件", "服务", "耗材")
CUSTOM_FIELDS = (("品牌", "text", ()), ("保修期(月)", "number", ()), ("产地", "choice", ("国产", "进口")))

# level 1 → level 2 → leaves: (name, code, unit, type, list price, brands, series)
TREE = {
    ("电子产品", "DZ"): {
        ("电脑", "DZDN"): [("笔记本", "BJB", "台", "硬件", 6999, ("联想", "戴尔", "华为"), ("轻薄", "商务", "高性能")),
                           ("台式机", "TSJ", "台", "硬件", 4599, ("联想", "惠普"), ("办公", "设计", "家用")),
                           ("服务器", "FWQ", "台", "硬件", 28000, ("浪潮", "戴尔", "华为"), ("1U", "2U", "塔式"))],
        ("办公设备", "BGSB"): [("打印机", "DYJ", "台", "硬件", 1899, ("惠普", "佳能", "兄弟"), ("黑白激光", "彩色激光", "喷墨")),
                               ("复印机", "FYJ", "台", "硬件", 15800, ("理光", "柯尼卡美能达"), ("A3 黑白", "A3 彩色")),
                               ("投影仪", "TYY", "台", "硬件", 3999, ("爱普生", "明基"), ("会议", "家用", "激光"))],
        ("网络设备", "WLSB"): [("交换机", "JHJ", "台", "硬件", 1299, ("华为", "H3C", "TP-LINK"), ("8 口", "24 口", "48 口")),
                               ("路由器", "LYQ", "台", "硬件", 699, ("华为", "TP-LINK"), ("企业级", "双频", "VPN"))],
    },
    ("软件", "RJ"): {
        ("管理软件", "GLRJ"): [("CRM系统", "CRM", "套", "软件", 12800, ("全程",), ("标准版", "专业版", "企业版", "集团版")),
                               ("财务软件", "CWRJ", "套", "软件", 6800, ("用友", "金蝶"), ("标准版", "专业版")),
                               ("进销存", "JXC", "套", "软件", 3800, ("全程", "管家婆"), ("单机版", "网络版"))],
        ("安全软件", "AQRJ"): [("杀毒软件", "SDRJ", "套", "软件", 298, ("360", "瑞星", "金山"), ("单机版", "网络版"))],
    },
    ("办公用品", "BGYP"): {
        ("纸张", "ZZ"): [("复印纸", "FYZ", "令", "耗材", 25, ("得力", "晨光", "亚太森博"), ("A4 70g", "A4 80g", "A3 80g")),
                         ("标签纸", "BQZ", "张", "耗材", 1, ("得力", "兄弟"), ("40×30", "60×40"))],
        ("文具", "WJ"): [("笔类", "BL", "打", "耗材", 18, ("晨光", "得力", "百乐"), ("中性笔", "圆珠笔", "记号笔")),
                         ("文件夹", "WJJ", "个", "耗材", 6, ("得力", "齐心"), ("单夹", "双夹", "拉杆"))],
    },
    ("服务", "FW"): {
        ("技术服务", "JSFW"): [("安装调试", "AZTS", "次", "服务", 300, ("全程",), ("上门", "远程")),
                               ("维修保养", "WXBY", "次", "服务", 200, ("全程",), ("硬件", "软件", "网络")),
                               ("培训", "PX", "次", "服务", 1500, ("全程",), ("初级", "高级"))],
    },
}


def _by_name(session, model) -> dict[str, int]:
    return {row.name: row.id for row in session.scalars(select(model))}


def _seed_settings(session) -> dict[str, dict[str, int]]:
    units, types = _by_name(session, Unit), _by_name(session, ProductType)
    for order, name in enumerate(UNITS):
        if name not in units:
            session.add(Unit(name=name, sort_order=order))
    for order, name in enumerate(TYPES):
        if name not in types:
            session.add(ProductType(name=name, sort_order=order))
    fields = _by_name(session, ProductCustomField)
    for order, (name, kind, choices) in enumerate(CUSTOM_FIELDS):
        if name not in fields:
            session.add(ProductCustomField(name=name, kind=kind, choices=list(choices), sort_order=order))
    session.flush()
    units = _by_name(session, Unit)
    rules = {(c.from_unit_id, c.to_unit_id) for c in session.scalars(
        select(UnitConversion).where(UnitConversion.product_id.is_(None)))}
    for source, target, factor in CONVERSIONS:
        if (units[source], units[target]) not in rules:
            session.add(UnitConversion(from_unit_id=units[source], to_unit_id=units[target], factor=Decimal(factor)))
    return {"unit": units, "type": _by_name(session, ProductType), "field": _by_name(session, ProductCustomField)}


def _category(session, codes: dict[str, int], name: str, code: str, parent: int | None, order: int) -> int:
    if code not in codes:
        category = ProductCategory(name=name, code=code, parent_id=parent, sort_order=order)
        session.add(category)
        session.flush()
        codes[code] = category.id
    return codes[code]


_GRADES = (("", Decimal(1)), (" Pro", Decimal("1.35")), (" Max", Decimal("1.6")))


def _products(leaf: tuple, category_id: int, ids: dict[str, dict[str, int]]) -> list[Product]:
    name, _code, unit, kind, price, brands, series = leaf
    fields, out = ids["field"], []
    for i, (brand, line) in enumerate((b, s) for s in series for b in brands):
        for grade, factor in _GRADES if len(out) < 18 else ():
            sale = (Decimal(price) * factor * (1 + Decimal(i) / 20)).quantize(Decimal("1"))
            hardware = kind == "硬件"
            out.append(Product(
                category_id=category_id, type_id=ids["type"][kind], name=f"{brand} {line}{name}{grade}",
                model=f"{line}{grade}".strip(), item_code=f"{_code}{len(out) + 1:04d}", base_unit_id=ids["unit"][unit],
                monitored=sale >= 10000, serial_mode="always" if hardware else "none",
                sale_price=sale, purchase_price=(sale * Decimal("0.72")).quantize(Decimal("0.01")),
                service_days=180 if hardware else None, maintenance_days=90 if name in ("打印机", "复印机") else None,
                scrap_basis="production", scrap_days=1825 if hardware else None,
                custom_fields={str(fields["品牌"]): brand, str(fields["保修期(月)"]): "12" if hardware else "0",
                               str(fields["产地"]): "进口" if brand in ("戴尔", "惠普", "佳能", "爱普生") else "国产"}))
    return out


def seed_products(db: Database) -> int:
    """Add what is missing of the demo catalogue; returns how many products exist afterwards."""
    with db.session() as s:
        ids = _seed_settings(s)
        codes = {c.code: c.id for c in s.scalars(select(ProductCategory))}
        seeded_before = s.scalar(select(func.count()).select_from(Product))
        for i, ((top, top_code), middles) in enumerate(TREE.items()):
            top_id = _category(s, codes, top, top_code, None, i)
            for j, ((middle, middle_code), leaves) in enumerate(middles.items()):
                middle_id = _category(s, codes, middle, middle_code, top_id, j)
                for k, leaf in enumerate(leaves):
                    leaf_id = _category(s, codes, leaf[0], leaf[1], middle_id, k)
                    if not seeded_before:
                        s.add_all(_products(leaf, leaf_id, ids))
                        s.flush()  # in order, so numbers are the same on every run
        return s.scalar(select(func.count()).select_from(Product))
