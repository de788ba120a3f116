"""Demo quotes (报价单) in every state, written by the demo reps themselves and approved by their
managers through the engine — so the demo has pending tasks waiting for wangfang, songjia, zhangmc …

Deterministic and idempotent: nothing is added once demo quotes exist.  Needs demo customers
(``crm-admin seed-demo --customers N``); without them there is nobody to quote for.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text

from crm_desktop.admin.seed_approval import as_demo_account, seed_approval_flows
from crm_desktop.db.connection import Database

DEMO_NOTE = "演示报价"
REPS = ["chenjing", "liuyang", "yexin", "shenbo", "zhouqiang", "tangwei", "fengxue", "songjia", "wangfang"]
# what happens to a rep's quotes, in order: the state each ends in
PLAN = ["draft", "pending", "big_pending", "approved", "big_half", "rejected", "expired"]


def seed_demo_quotes(db: Database, per_rep: int = len(PLAN)) -> int:
    from crm_desktop.services import approval, quote

    seed_approval_flows(db)
    with db.session() as s:
        if s.execute(text("select exists (select from crm.quote where notes like :n)"), {"n": DEMO_NOTE + "%"}).scalar():
            return 0
        products = s.execute(text("select id, base_unit_id, sale_price from crm.product where sale_price > 0 "
                                  "order by id limit 60")).all()
    if not products:
        return 0
    sessions: dict[str, Database] = {}

    def as_(login: str) -> Database:
        if login not in sessions:
            sessions[login] = as_demo_account(db, login)
        return sessions[login]

    def decide(instance: int, reject: bool = False) -> None:
        with db.session() as s:
            row = s.execute(text("""select t.id, a.login from crm.approval_task t join crm.account a on a.id = t.approver_id
                                    where t.instance_id = :i and t.status = 'open' order by t.id limit 1"""),
                            {"i": instance}).first()
        if row is None:
            return
        if reject:
            approval.reject(as_(row.login), row.id, "价格需要重新核算")
        else:
            approval.approve(as_(row.login), row.id, "同意")

    made = 0
    today = date.today()
    try:
        for r, login in enumerate(REPS):
            rep = as_(login)
            with rep.session() as s:
                customers = s.execute(text("""select c.id, (select k.id from crm.contact k where k.customer_id = c.id
                                                            order by k.is_primary desc, k.id limit 1) as contact
                                                from crm.customer c where c.owner_id = crm.current_account()
                                               order by c.id limit :n"""), {"n": per_rep}).all()
            for n, (customer, contact) in enumerate(customers):
                state = PLAN[n % len(PLAN)]
                big = state.startswith("big")
                quoted = today - timedelta(days=40 if state == "expired" else (r * 3 + n) % 25)
                lines = []
                for k in range(1 + (r + n) % 4):
                    product, unit, price = products[(r * 7 + n * 3 + k) % len(products)]
                    qty = Decimal(30 + k * 5) if big else Decimal(1 + (r + k) % 5)
                    lines.append(quote.QuoteLineInput(product_id=product, unit_id=unit, quantity=qty, unit_price=Decimal(price),
                                                      discount=Decimal("0.95") if k == 1 else Decimal(1)))
                discount = Decimal("0.98") if n % 2 else Decimal(1)
                qid = quote.save_quote(rep, {"customer_id": customer, "contact_id": contact, "quoted_on": quoted,
                                             "valid_until": quoted + timedelta(days=30), "discount": discount,
                                             "notes": f"{DEMO_NOTE}：{approval.name_of(approval.STATUS_NAMES, 'draft')}"
                                                      if state == "draft" else DEMO_NOTE}, lines)
                made += 1
                if state == "draft":
                    continue
                instance = quote.submit_quote(rep, qid)
                if state in ("approved", "expired"):
                    for _ in range(3):
                        decide(instance)
                elif state == "big_half":
                    decide(instance)
                elif state == "rejected":
                    decide(instance, reject=True)
    finally:
        for session in sessions.values():
            session.close()
    return made
