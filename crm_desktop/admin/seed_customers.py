"""Demo customers for ``crm-admin seed-demo --customers N`` and for the benchmark.

Deterministic: customer i is a pure function of i, so N customers are always the same N, and a
second run with a larger N only adds the missing ones.  Rows arrive by COPY with triggers off
(``session_replication_role = replica``, superuser only): the numbers are reserved from the customer
rule first, and what triggers would fill (number, department, initials, contact search text) is
written directly.  Demo data therefore has no audit entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterator, Sequence

from crm_desktop.db.connection import Database
from crm_desktop.services.customer import name_initials, name_pinyin

CITIES = "北京 上海 广州 深圳 杭州 南京 武汉 成都 重庆 天津 西安 苏州 长沙 郑州 青岛 厦门 福州 合肥 济南 佛山 东莞 珠海 宁波 无锡 昆明 南宁 沈阳 大连 石家庄 哈尔滨".split()
CORES = ("北斗 华信 恒通 东方 星辰 金桥 宏达 新元 天成 联创 瑞丰 盛世 中科 博远 安信 鼎盛 锦程 和润 汇丰 长城 "
         "卓越 远航 启明 万象 嘉禾 精工 海纳 凯旋 云帆 明德 正泰 同创 兴业 富源 永安 德信 华晨 光大 智达 领航 "
         "银河 青松 紫光 蓝天 春晖 乐途 优品 睿智 腾飞 宝丰 信诚 恒昌 金鹏 天宇 旭日 鸿运 山河 凌云 泰和 新星").split()
TRADES = ("广告 科技 贸易 电子 物流 软件 建材 餐饮 医药 教育 文化 传媒 机械 服装 食品 家具 印刷 咨询 "
          "网络 通信 能源 化工 汽车 旅游 地产 环保 农业 金融 投资 设计").split()
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司", "工作室"]
SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗".split()
GIVEN = "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 玉 萍 红 玲 建 飞".split()

TYPES = ["重要客户", "普通客户", "一般客户", "代理商", "合作伙伴"]
CATEGORIES = ["潜在客户", "意向客户", "现有客户", "流失客户"]
SOURCES = ["电话营销", "网络推广", "客户介绍", "展会", "其他"]
INDUSTRIES = ["广告传媒", "制造业", "软件信息", "教育培训", "金融", "零售"]
REGIONS = ["中国.广东省.广州", "中国.广东省.深圳", "中国.广东省.珠海", "中国.北京市.海淀区", "中国.北京市.朝阳区",
           "中国.上海市.浦东新区", "中国.浙江省.杭州", "中国.江苏省.南京", "中国.四川省.成都"]
DEMO_MARK = "演示数据"
BASE_TIME = datetime(2025, 6, 30, 9, 0, tzinfo=timezone.utc)

COLUMNS = ("kind", "is_private", "owner_id", "department_id", "number", "name", "name_initials", "name_pinyin", "type_id",
           "category_id", "region_id", "source_id", "industry_id", "phone", "mobile", "address",
           "last_contact_at", "notes", "contact_search", "created_by")


@dataclass(frozen=True)
class Owner:
    account_id: int
    department_id: int | None


@dataclass(frozen=True)
class Choices:
    """Ids of the base settings, in the order of the lists above."""

    types: Sequence[int]
    categories: Sequence[int]
    sources: Sequence[int]
    industries: Sequence[int]
    regions: Sequence[int]


def _mix(i: int, salt: int) -> int:
    """A cheap deterministic hash (splitmix-style): customer i's k-th pseudo-random number."""
    x = (i * 0x9E3779B97F4A7C15 + salt * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


@lru_cache(maxsize=None)
def _initials(part: str) -> str:
    return name_initials(part)


def customer_name(i: int) -> tuple[str, str, str]:
    """(kind, name, initials) of customer i; customer 0 is 北斗广告有限公司."""
    if i % 10 == 9:
        parts = (SURNAMES[_mix(i, 1) % len(SURNAMES)], GIVEN[_mix(i, 2) % len(GIVEN)],
                 GIVEN[_mix(i, 3) % len(GIVEN)])
        return "individual", "".join(parts), "".join(_initials(p) for p in parts)
    if i == 0:
        parts = ("北斗", "广告", "有限公司")
    else:
        parts = (CITIES[_mix(i, 1) % len(CITIES)], CORES[_mix(i, 2) % len(CORES)],
                 TRADES[_mix(i, 3) % len(TRADES)], SUFFIXES[_mix(i, 4) % len(SUFFIXES)])
    return "company", "".join(parts), "".join(_initials(p) for p in parts)


def customer_row(i: int, number: str, owners: Sequence[Owner], choices: Choices) -> tuple:
    kind, name, initials = customer_name(i)
    owner = owners[_mix(i, 5) % len(owners)]
    private = _mix(i, 6) % 10 < 6
    mobile = f"1{3 + _mix(i, 7) % 6}{i % 1_000_000_000:09d}"
    phone = f"0{20 + _mix(i, 8) % 80}-{_mix(i, 9) % 90_000_000 + 10_000_000}" if kind == "company" else ""
    contact = f"{SURNAMES[_mix(i, 10) % len(SURNAMES)]}{GIVEN[_mix(i, 11) % len(GIVEN)]}" if i % 3 == 0 else ""
    # a mainland mobile number (1[3-9] and nine digits: the contact_mobile_format check of 0021)
    contact_search = f"{contact} 1{3 + _mix(i, 12) % 7}{_mix(i, 12) % 10**9:09d}" if contact else ""
    last = None if _mix(i, 13) % 5 == 0 else BASE_TIME - timedelta(minutes=_mix(i, 14) % (365 * 24 * 60))
    pick = lambda seq, salt: seq[_mix(i, salt) % len(seq)]  # noqa: E731
    return ("individual" if kind == "individual" else "company", private, owner.account_id, owner.department_id,
            number, name, initials, name_pinyin(name), pick(choices.types, 15), pick(choices.categories, 16),
            pick(choices.regions, 17), pick(choices.sources, 18), pick(choices.industries, 19), phone,
            mobile, "", last, DEMO_MARK, contact_search, owner.account_id)


def _copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def copy_rows(cursor, table: str, columns: Sequence[str], rows: Iterator[tuple]) -> None:
    """COPY ``rows`` into crm.<table> in text format, in large chunks."""
    with cursor.copy(f"copy crm.{table} ({', '.join(columns)}) from stdin") as copy:
        chunk: list[str] = []
        for row in rows:
            chunk.append("\t".join(_copy_value(v) for v in row))
            if len(chunk) >= 5000:
                copy.write("\n".join(chunk) + "\n")
                chunk.clear()
        if chunk:
            copy.write("\n".join(chunk) + "\n")


def ensure_choices(db: Database) -> Choices:
    """The demo's base settings (kept if present)."""
    from crm_desktop.services import customer_settings as cs

    ids = {}
    for kind, names in (("type", TYPES), ("category", CATEGORIES), ("source", SOURCES), ("industry", INDUSTRIES)):
        have = cs.choice_ids_by_name(db, kind)
        for order, name in enumerate(names):
            if name not in have:
                have[name] = cs.save_choice(db, kind, None, {"name": name, "sort_order": order})["id"]
        ids[kind] = [have[n] for n in names]
    regions = [cs.ensure_region_path(db, path) for path in REGIONS]
    return Choices(ids["type"], ids["category"], ids["source"], ids["industry"], regions)


def insert_customers(db: Database, start: int, stop: int, owners: Sequence[Owner], choices: Choices,
                     share_every: int = 20) -> None:
    """Customers start..stop-1 (and every ``share_every``-th private one shared), by COPY."""
    if stop <= start:
        return
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cur:
            cur.execute("set local session_replication_role = replica")
            numbers = cur.execute("select crm.next_numbers('customer', %s)", (stop - start,)).fetchone()[0]
            rows = (customer_row(i, numbers[i - start], owners, choices) for i in range(start, stop))
            copy_rows(cur, "customer", COLUMNS, rows)
            cur.execute(_SHARES_SQL, {"mark": DEMO_MARK, "every": share_every,
                                      "pool": [o.account_id for o in owners]})
            cur.execute(_CONTACTS_SQL, {"mark": DEMO_MARK, "first": numbers[0]})
            cur.execute(_PLANS_SQL, {"mark": DEMO_MARK, "first": numbers[0]})
            # the triggers that keep each owner's private-customer tally did not run
            cur.execute("select crm.recount_private_customers()")
        conn.commit()
    finally:
        raw.close()


# a deterministic sharee per shared customer: the pool member after the owner (by id order)
_SHARES_SQL = """
insert into crm.customer_share (customer_id, account_id, shared_by)
select c.id, p.pool[1 + (array_position(p.pool, c.owner_id) %% cardinality(p.pool))], c.owner_id
  from crm.customer c, (select %(pool)s::bigint[] as pool) p
 where c.notes = %(mark)s and c.is_private and c.id %% %(every)s = 0
   and not exists (select from crm.customer_share s where s.customer_id = c.id)
   and p.pool[1 + (array_position(p.pool, c.owner_id) %% cardinality(p.pool))] <> c.owner_id
on conflict do nothing
"""


# the contact person written into contact_search becomes a contact row
_CONTACTS_SQL = """
insert into crm.contact (customer_id, name, mobile, is_primary)
select c.id, split_part(c.contact_search, ' ', 1), split_part(c.contact_search, ' ', 2), true
  from crm.customer c
 where c.notes = %(mark)s and c.contact_search <> '' and c.number >= %(first)s
   and not exists (select from crm.contact k where k.customer_id = c.id)
"""


# 联系计划: the owner follows up every 15th private customer, and every sharee has a plan for the
# customer shared with them, made by the owner (their leaders see it without seeing the customer)
_PLANS_SQL = """
insert into crm.contact_plan (customer_id, account_id, planned_at, subject, created_by)
select c.id, c.owner_id, timestamptz '2013-06-01 09:00+08' + c.id * interval '1 day', '电话回访', c.owner_id
  from crm.customer c
 where c.notes = %(mark)s and c.number >= %(first)s and c.is_private and c.id %% 15 = 0
   and not exists (select from crm.contact_plan k where k.customer_id = c.id)
union all
select s.customer_id, s.account_id, timestamptz '2013-07-01 09:00+08' + c.id * interval '1 day', '上门拜访', c.owner_id
  from crm.customer_share s join crm.customer c on c.id = s.customer_id
 where c.notes = %(mark)s and c.number >= %(first)s
   and not exists (select from crm.contact_plan k where k.customer_id = c.id and k.account_id = s.account_id)
"""


def demo_customer_count(db: Database) -> int:
    raw = db.engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cur:
            return cur.execute("select count(*) from crm.customer where notes = %s", (DEMO_MARK,)).fetchone()[0]
    finally:
        raw.close()


# the demo's owners: sales staff of both organisations, including the departed (xujun, resigned;
# zhaolei, locked) whose customers a manager reassigns, and dengchao, who has no role
DEMO_OWNERS = ["chenjing", "liuyang", "zhaolei", "shenbo", "yexin", "wangfang", "zhouqiang", "xujun", "wuting",
               "huangmin", "songjia", "tangwei", "fengxue", "dengchao", "liangyu", "gaoyue"]


def _owners(db: Database, logins: Sequence[str]) -> list[Owner]:
    raw = db.engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cur:
            rows = dict(cur.execute("""select a.login, (select p.department_id from crm.account_position ap
                                          join crm.position p on p.id = ap.position_id
                                         where ap.account_id = a.id and ap.is_main)
                                         from crm.account a where a.login = any(%s)""", (list(logins),)))
            ids = dict(cur.execute("select login, id from crm.account where login = any(%s)", (list(logins),)))
    finally:
        raw.close()
    return [Owner(ids[login], rows[login]) for login in logins if login in ids]


def seed_demo_customers(db: Database, count: int) -> int:
    """Bring the demo to ``count`` customers with shares, category and scope grants and a limit."""
    from crm_desktop.admin.seed import GZ
    from crm_desktop.services import customer_settings as cs
    from crm_desktop.services import org

    choices = ensure_choices(db)
    have = demo_customer_count(db)
    insert_customers(db, have, count, _owners(db, DEMO_OWNERS), choices)
    accounts = _account_ids(db)
    depts = {d["name"]: d["id"] for d in org.list_departments(db)}
    orgs = {o["name"]: o["id"] for o in org.list_organizations(db)}
    cs.set_category_permissions(db, accounts["liuyang"], choices.types[:2])
    cs.set_category_permissions(db, accounts["guoyan"], choices.types[:1])
    cs.set_management_scope(db, accounts["sunli"], organization_ids=[orgs[GZ]])
    cs.set_management_scope(db, accounts["caoyi"], department_ids=[depts["广州销售部"]])
    cs.set_management_scope(db, accounts["hugang"], department_ids=[depts["销售一部"]])
    from crm_desktop.services.customer import private_customer_status
    owned, _limit = private_customer_status(db, accounts["tangwei"])
    cs.set_private_limit(db, accounts["tangwei"], owned + 5)
    return max(have, count)


def _account_ids(db: Database) -> dict[str, int]:
    raw = db.engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cur:
            return dict(cur.execute("select login, id from crm.account"))
    finally:
        raw.close()
