"""``crm-admin seed-demo``: a deterministic demo company.

Two organisations, departments three levels deep, positions with managers and superiors, about
30 accounts (every status represented) with roles.  Every demo account's password is ``demo1234``.
Running it again changes nothing.  Later modules add their demo data here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crm_desktop.admin.seed_printing import seed_printing
from crm_desktop.admin.seed_approval import seed_approval_flows
from crm_desktop.admin.seed_products import seed_products
from crm_desktop.db.connection import Database
from crm_desktop.db.scram import scram_verifier
from crm_desktop.model.org import Organization, Role
from crm_desktop.services import account as accounts
from crm_desktop.services import org, role

DEMO_PASSWORD = "demo1234"
HQ, GZ = "全程软件", "全程软件广州分公司"

# (organisation, department path) — the first of each organisation is its top department
DEPARTMENTS = [
    (HQ, ("总经理办公室",)),
    (HQ, ("总经理办公室", "销售部")),
    (HQ, ("总经理办公室", "销售部", "销售一部")),
    (HQ, ("总经理办公室", "销售部", "销售二部")),
    (HQ, ("总经理办公室", "财务部")),
    (HQ, ("总经理办公室", "客服部")),
    (HQ, ("总经理办公室", "行政人事部")),
    (GZ, ("广州分公司",)),
    (GZ, ("广州分公司", "广州销售部")),
    (GZ, ("广州分公司", "广州销售部", "广州销售一组")),
    (GZ, ("广州分公司", "广州客服部")),
]

# key: (department, name, manager?, superior key)
POSITIONS = {
    "gm": ("总经理办公室", "总经理", True, None),
    "sales_director": ("销售部", "销售总监", True, "gm"),
    "sales1_manager": ("销售一部", "销售一部经理", True, "sales_director"),
    "sales1_rep": ("销售一部", "销售代表", False, "sales1_manager"),
    "sales2_manager": ("销售二部", "销售二部经理", True, "sales_director"),
    "sales2_rep": ("销售二部", "销售代表", False, "sales2_manager"),
    "finance_manager": ("财务部", "财务经理", True, "gm"),
    "accountant": ("财务部", "会计", False, "finance_manager"),
    "cashier": ("财务部", "出纳", False, "finance_manager"),
    "service_manager": ("客服部", "客服经理", True, "gm"),
    "service_agent": ("客服部", "客服专员", False, "service_manager"),
    "hr_manager": ("行政人事部", "行政人事经理", True, "gm"),
    "clerk": ("行政人事部", "行政专员", False, "hr_manager"),
    "gz_gm": ("广州分公司", "分公司总经理", True, "gm"),
    "gz_sales_manager": ("广州销售部", "广州销售经理", True, "gz_gm"),
    # across departments and organisations, to a non-administrator (issue 17): 销售二部经理 coaches the
    # Guangzhou team, so leading through 上级职位 (not the department tree) is exercised by the demo
    "gz_team_lead": ("广州销售一组", "销售组长", True, "sales2_manager"),
    "gz_rep": ("广州销售一组", "销售代表", False, "gz_team_lead"),
    "gz_service_lead": ("广州客服部", "客服主管", True, "gz_gm"),
    "gz_service_agent": ("广州客服部", "客服专员", False, "gz_service_lead"),
}

EXTRA_ROLES = [
    # name, organisation, permissions
    ("销售经理", None, ["customer", "contact", "sales", "contract", "product.export"]),
    ("财务人员", None, ["finance", "customer.export", "contract.order"]),
    ("客服人员", None, ["service", "contact", "customer.edit"]),
    ("人事管理员", None, ["system.org.manage", "system.account.manage", "system.account.export"]),
    ("广州分公司业务员", GZ, ["customer.create", "customer.edit", "customer.share", "contact", "sales.quote"]),
]

# login, name, gender, main position, concurrent positions, roles, extra fields
ACCOUNTS = [
    ("admin", "系统管理员", "male", None, [], ["系统管理员"], {}),
    ("zhangmc", "张美春", "female", "gm", [], ["系统管理员"], {"number": "A001", "mobile": "13800000001"}),
    ("lihua", "李华", "male", "sales_director", [], ["销售经理"], {"number": "A002"}),
    ("wangfang", "王芳", "female", "sales1_manager", [], ["销售经理"], {"number": "A003"}),
    ("chenjing", "陈静", "female", "sales1_rep", [], ["普通用户"], {"number": "A004"}),
    ("liuyang", "刘洋", "male", "sales1_rep", [], ["普通用户"], {"number": "A005"}),
    ("zhaolei", "赵磊", "male", "sales1_rep", [], ["普通用户"], {"number": "A006", "locked": True}),
    ("huangmin", "黄敏", "female", "sales2_manager", [], ["销售经理"], {"number": "A007"}),
    ("zhouqiang", "周强", "male", "sales2_rep", [], ["普通用户"], {"number": "A008"}),
    ("wuting", "吴婷", "female", "sales2_rep", [], ["普通用户"], {"number": "A009",
                                                               "valid_until": date(2020, 12, 31)}),
    ("xujun", "徐军", "male", "sales2_rep", [], ["普通用户"], {"number": "A010", "status": "resigned"}),
    ("sunli", "孙丽", "female", "finance_manager", [], ["财务人员"], {"number": "A011"}),
    ("majie", "马杰", "male", "accountant", [], ["财务人员"], {"number": "A012"}),
    ("zhuxia", "朱霞", "female", "cashier", [], ["财务人员"], {"number": "A013"}),
    ("hugang", "胡刚", "male", "service_manager", [], ["客服人员"], {"number": "A014"}),
    ("guoyan", "郭燕", "female", "service_agent", [], ["客服人员"], {"number": "A015"}),
    ("linfeng", "林峰", "male", "service_agent", [], ["客服人员"], {"number": "A016", "status": "retired"}),
    ("heping", "何平", "male", "hr_manager", [], ["人事管理员"], {"number": "A017"}),
    ("gaoyue", "高月", "female", "clerk", ["service_agent"], ["普通用户"], {"number": "A018"}),
    ("luobin", "罗斌", "male", "gz_gm", [], ["销售经理"], {"number": "G001"}),
    ("liangyu", "梁宇", "male", "gz_sales_manager", [], ["销售经理"], {"number": "G002"}),
    ("songjia", "宋佳", "female", "gz_team_lead", [], ["广州分公司业务员"], {"number": "G003"}),
    ("tangwei", "唐伟", "male", "gz_rep", [], ["广州分公司业务员"], {"number": "G004"}),
    ("fengxue", "冯雪", "female", "gz_rep", [], ["广州分公司业务员"], {"number": "G005"}),
    ("dengchao", "邓超", "male", "gz_rep", [], [], {"number": "G006"}),
    ("caoyi", "曹毅", "male", "gz_service_lead", [], ["客服人员"], {"number": "G007"}),
    ("pengli", "彭莉", "female", "gz_service_agent", [], ["客服人员"], {"number": "G008",
                                                                    "locked": True, "status": "resigned"}),
    ("yexin", "叶欣", "female", "sales1_rep", ["gz_rep"], ["普通用户"], {"number": "A019"}),
    ("jiangtao", "蒋涛", "male", None, [], ["普通用户"], {"number": "A020"}),
    ("shenbo", "沈博", "male", "sales1_rep", [], ["普通用户"], {"number": "A021",
                                                             "valid_until": date(2099, 12, 31)}),
]


def _seed_organisation(db: Database) -> dict[str, int]:
    orgs = {o["name"]: o["id"] for o in org.list_organizations(db)}
    for name in (HQ, GZ):
        if name not in orgs:
            orgs[name] = org.save_organization(db, {"name": name})["id"]
    depts: dict[str, int] = {d["name"]: d["id"] for d in org.list_departments(db)}
    for org_name, path in DEPARTMENTS:
        if path[-1] not in depts:
            parent = depts[path[-2]] if len(path) > 1 else None
            added = org.add_departments(db, orgs[org_name], [{"name": path[-1], "parent_id": parent}])
            depts[path[-1]] = added[0]["id"]
    positions = {(p["department_id"], p["name"]): p["id"] for p in org.list_positions(db)}
    ids: dict[str, int] = {}
    for key, (dept, name, manager, superior) in POSITIONS.items():
        pid = positions.get((depts[dept], name))
        if pid is None:
            pid = org.save_position(db, {"department_id": depts[dept], "name": name, "is_manager": manager,
                                         "superior_id": ids[superior] if superior else None})["id"]
        ids[key] = pid
    return {**{f"org:{k}": v for k, v in orgs.items()}, **ids}


def _seed_roles(db: Database, ids: dict[str, int]) -> dict[str, int]:
    roles = {r["name"]: r["id"] for r in role.list_roles(db)}
    for name, org_name, codes in EXTRA_ROLES:
        if name not in roles:
            org_id = ids[f"org:{org_name}"] if org_name else None
            roles[name] = role.save_role(db, {"name": name, "organization_id": org_id})["id"]
            role.set_role_permissions(db, roles[name], set(codes))
    return roles


def seed_demo(db: Database, customers: int = 0) -> dict[str, int]:
    """Create what is missing of the demo company (and up to ``customers`` demo customers);
    returns login → account id."""
    ids = _seed_organisation(db)
    roles = _seed_roles(db, ids)
    existing = {a.login: a.id for a in accounts.list_accounts(db)}
    verifier = scram_verifier(DEMO_PASSWORD)
    for login, name, gender, main, concurrent, role_names, extra in ACCOUNTS:
        if login in existing:
            continue
        positions = ([accounts.PositionAssignment(ids[main], True, date(2012, 3, 1))] if main else [])
        positions += [accounts.PositionAssignment(ids[c], False, date(2013, 1, 1)) for c in concurrent]
        existing[login] = accounts.create_account(
            db, {"login": login, "name": name, "gender": gender, **extra}, verifier, positions,
            [roles[r] for r in role_names], password_is_verifier=True)
    if customers:
        from crm_desktop.admin.seed_customers import seed_demo_customers
        seed_demo_customers(db, customers)
        from crm_desktop.admin.seed_followup import seed_followup
        seed_followup(db)
    seed_products(db)
    seed_printing(db)
    seed_approval_flows(db)
    if customers:
        from crm_desktop.admin.seed_quotes import seed_demo_quotes
        seed_demo_quotes(db)
    return existing


def demo_accounts() -> list[tuple[str, str, str]]:
    """(login, name, what is special about it) for the README and tests."""
    out = []
    for login, name, _g, main, _c, role_names, extra in ACCOUNTS:
        notes = []
        if extra.get("status") in ("resigned", "retired"):
            notes.append(accounts.STATUS_NAMES[extra["status"]])
        if extra.get("locked"):
            notes.append("已锁定")
        if extra.get("valid_until") and extra["valid_until"] < date.today():
            notes.append("已过期")
        out.append((login, name, "、".join(notes + role_names)))
    return out


def organization_id(db: Database, name: str) -> int:
    with db.session() as s:
        return s.scalar(select(Organization.id).where(Organization.name == name))


def role_id(db: Database, name: str) -> int:
    with db.session() as s:
        return s.scalar(select(Role.id).where(Role.name == name))
