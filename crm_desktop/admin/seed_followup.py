"""Demo follow-up data (chapter 五.1): contact records on the demo customers — by their owners and
by sharees — plans with ways and reminders, some executed into records, some overdue, some for
this week.  Deterministic and idempotent: running it again adds nothing.  Written as the
superuser, in one transaction; 最后联系时间 is kept by the records' trigger as for any client.
"""

from __future__ import annotations

from crm_desktop.admin.seed_customers import DEMO_MARK
from crm_desktop.db.connection import Database

_WAYS = "(array['phone', 'visit', 'email', 'sms', 'im', 'other'])"

_SQL = [
    # the demo's plans get a way, a contact and (every third) an e-mail reminder an hour before
    f"""update crm.contact_plan p
          set way = {_WAYS}[1 + p.id %% 6], remind_email = p.id %% 3 = 0 and p.planned_at > now(), remind_minutes = 60,
              contact_id = (select min(k.id) from crm.contact k where k.customer_id = p.customer_id)
         from crm.customer c
        where c.id = p.customer_id and c.notes = %(mark)s and p.way = 'phone' and p.contact_id is null
          and not p.done""",
    # records by the owner on every fourth demo customer, two each
    f"""insert into crm.contact_record (customer_id, contact_id, account_id, contacted_at, way, subject, content, created_by)
        select c.id, (select min(k.id) from crm.contact k where k.customer_id = c.id), c.owner_id,
               timestamptz '2013-03-01 10:00+08' + (c.id %% 60) * interval '1 day' + n * interval '9 days',
               {_WAYS}[1 + (c.id + n) %% 6],
               (array['初次电话沟通', '上门拜访演示', '发送产品资料'])[1 + (c.id + n) %% 3],
               '客户对产品有兴趣，约定下次联系。', c.owner_id
          from crm.customer c, generate_series(0, 1) n
         where c.notes = %(mark)s and c.owner_id is not null and c.id %% 4 = 0
           and not exists (select from crm.contact_record r where r.customer_id = c.id)""",
    # sharees follow up the customers shared with them (the share's promise)
    """insert into crm.contact_record (customer_id, account_id, contacted_at, way, subject, content, created_by)
       select s.customer_id, s.account_id, timestamptz '2013-04-15 15:00+08' + (s.customer_id %% 20) * interval '1 day',
              'phone', '共享客户回访', '已电话回访，客户满意。', s.account_id
         from crm.customer_share s join crm.customer c on c.id = s.customer_id
        where c.notes = %(mark)s
          and not exists (select from crm.contact_record r where r.customer_id = s.customer_id and r.account_id = s.account_id)""",
    # plans around today for the demo's reps: overdue, today and this week, so the reminders dock
    # has something to show on the day the demo is looked at
    f"""insert into crm.contact_plan (customer_id, account_id, planned_at, subject, way, remind_email, remind_sms,
                                      remind_minutes, created_by)
        select c.id, c.owner_id, date_trunc('hour', now()) + ((c.id %% 9) - 3) * interval '1 day' + interval '2 hours',
               (array['电话回访', '上门拜访', '发送报价'])[1 + c.id %% 3], {_WAYS}[1 + c.id %% 6],
               c.id %% 2 = 0, c.id %% 5 = 0, 30, c.owner_id
          from crm.customer c
         where c.notes = %(mark)s and c.owner_id is not null and c.id %% 7 = 0
           and not exists (select from crm.contact_plan k where k.customer_id = c.id and k.planned_at > timestamptz '2020-01-01')""",
    # 销售机会 over every stage: every fifth demo customer, owned by the customer's owner, a lost one
    # with its reason; the stage history starts with the insert (trigger)
    """insert into crm.opportunity (customer_id, title, starts_on, ends_on, kind, stage_id, importance, owner_id,
                                    expected_amount, lost_reason, details, created_by)
       select c.id, (array['软件采购', '系统升级', '年度服务', '硬件扩容'])[1 + c.id %% 4],
              date '2013-03-01' + (c.id %% 90)::int, date '2013-03-01' + (30 + c.id %% 90 + c.id %% 60)::int,
              (array['新客户', '老客户增购', '续约'])[1 + c.id %% 3], s.id,
              (array['', 'low', 'normal', 'high'])[1 + c.id %% 4], c.owner_id,
              ((c.id * 7919) %% 500 + 1) * 1000.00, case when s.is_lost then '价格因素，客户选择了竞争对手' else '' end,
              '客户有明确预算，决策人已接触。', c.owner_id
         from crm.customer c
         join lateral (select st.* from crm.opportunity_stage st order by st.sort_order, st.id
                       offset (c.id / 5) %% (select count(*) from crm.opportunity_stage) limit 1) s on true
        where c.notes = %(mark)s and c.owner_id is not null and c.id %% 5 = 0
          and not exists (select from crm.opportunity o where o.customer_id = c.id)""",
    # a few of the old plans executed: the record names its plan, the plan is done
    """insert into crm.contact_record (customer_id, contact_id, account_id, contacted_at, way, subject, content, plan_id,
                                       created_by)
       select p.customer_id, p.contact_id, p.account_id, p.planned_at + interval '1 hour', p.way, p.subject,
              '按计划联系完成。', p.id, p.account_id
         from crm.contact_plan p join crm.customer c on c.id = p.customer_id
        where c.notes = %(mark)s and not p.done and p.planned_at < timestamptz '2020-01-01' and p.id %% 2 = 0
          and not exists (select from crm.contact_record r where r.plan_id = p.id)""",
]


def seed_followup(db: Database) -> int:
    """Add the demo's follow-up data; returns the number of contact records afterwards."""
    raw = db.engine.raw_connection()
    try:
        with raw.driver_connection.transaction(), raw.driver_connection.cursor() as cur:
            for sql in _SQL:
                cur.execute(sql, {"mark": DEMO_MARK})
            return cur.execute("select count(*) from crm.contact_record").fetchone()[0]
    finally:
        raw.close()
