"""销售漏斗看板 (the sales pipeline dock) and 销售分析 (sales analysis).

Every figure is computed by PostgreSQL under the caller's row-level security: a rep's board and
analysis hold their own opportunities (and those of customers they may see), a manager's those of
the subordinates as well.  ``board`` is two queries: the per-stage count / sum / weighted sum
(the stage's total × its probability, rounded once) and the first ``per_stage`` cards of every stage (a lateral
``limit`` per stage over the ``(stage_id, ends_on, id)`` index) — never a Python loop over rows —
after a small planner hint (``planner_hint``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from crm_desktop.db.connection import Database
from crm_desktop.services import opportunity
from crm_desktop.services.customer import user_errors

PER_STAGE = 30


@dataclass(frozen=True)
class PipelineFilter:
    """授权范围 of the board: one 负责人, one 销售团队, owners whose main position is in these
    departments (a department with its sub-departments), and the expected close (结束时间) period."""

    owner_id: int | None = None
    team_id: int | None = None
    department_ids: tuple[int, ...] = ()
    closes_from: date | None = None
    closes_to: date | None = None


@dataclass
class StageColumn:
    stage_id: int
    name: str
    probability: Decimal
    is_won: bool
    is_lost: bool
    count: int = 0
    total: Decimal = Decimal("0.00")
    weighted: Decimal = Decimal("0.00")
    cards: list[dict[str, Any]] = field(default_factory=list)


# the filter, as SQL over the alias o; the parameters are always bound (null = no limit)
_WHERE = """(cast(:owner_id as bigint) is null or o.owner_id = :owner_id)
  and (cast(:team_id as bigint) is null or o.team_id = :team_id)
  and (cardinality(cast(:department_ids as bigint[])) = 0 or exists (
        select from crm.account_position ap join crm.position p on p.id = ap.position_id
         where ap.account_id = o.owner_id and ap.is_main and p.department_id = any(cast(:department_ids as bigint[]))))
  and (cast(:closes_from as date) is null or o.ends_on >= :closes_from)
  and (cast(:closes_to as date) is null or o.ends_on <= :closes_to)
  and (cast(:hint_owners as bigint[]) is null or o.owner_id = any(cast(:hint_owners as bigint[]))
       or o.created_by = any(cast(:hint_owners as bigint[]))
       or o.customer_id = any(cast(:hint_customers as bigint[])))"""

TOTALS_SQL = f"""
select st.id, st.name, st.probability, st.is_won, st.is_lost,
       count(o.id) as n, coalesce(sum(o.expected_amount), 0) as total,
       round(coalesce(sum(o.expected_amount), 0) * st.probability / 100, 2) as weighted
  from crm.opportunity_stage st
  left join crm.opportunity o on o.stage_id = st.id and {_WHERE}
 group by st.id
 order by st.sort_order, st.id"""

CARDS_SQL = f"""
select c.*, cu.name as customer_name, a.name as owner_name,
       (select min(cp.planned_at) from crm.contact_plan cp
         where cp.customer_id = c.customer_id and cp.done_at is null) as next_contact_at
  from crm.opportunity_stage st
  cross join lateral (
        select o.id, o.version, o.customer_id, o.title, o.stage_id, o.owner_id, o.expected_amount, o.ends_on,
               o.status, current_date - o.stage_entered_at::date as days_in_stage
          from crm.opportunity o
         where o.stage_id = st.id and {_WHERE}
         order by o.ends_on nulls last, o.id
         limit :per_stage) c
  join crm.customer cu on cu.id = c.customer_id
  join crm.account a on a.id = c.owner_id
 order by st.sort_order, st.id, c.ends_on nulls last, c.id"""


HINT_LIMIT = 5000

HINT_SQL = """select crm.customer_owner_ids() as owners,
       (select array_agg(id) from (select id from crm.customer limit :limit) x) as customers,
       (select count(*) from crm.account) as accounts"""


def planner_hint(s) -> dict[str, Any]:
    """Like the customer list's: a superset of what row-level security lets the caller see (the
    owners I see for and the customers I see), so that the planner can use the owner / author /
    customer indexes for a rep.  The policy still decides; without a complete, small list (a top
    manager) there is no hint."""
    r = s.execute(text(HINT_SQL), {"limit": HINT_LIMIT + 1}).one()
    customers = r.customers or []
    if len(customers) > HINT_LIMIT or len(r.owners or []) * 2 > r.accounts:
        return {"hint_owners": None, "hint_customers": None}
    return {"hint_owners": list(r.owners or []), "hint_customers": customers}


def _params(f: PipelineFilter) -> dict[str, Any]:
    return {"owner_id": f.owner_id, "team_id": f.team_id, "department_ids": list(f.department_ids),
            "closes_from": f.closes_from, "closes_to": f.closes_to, "hint_owners": None, "hint_customers": None}


def board(db: Database, f: PipelineFilter = PipelineFilter(), per_stage: int = PER_STAGE) -> list[StageColumn]:
    """The kanban: one column per stage with its count, total, weighted total and first cards."""
    params = _params(f)
    with db.session() as s:
        params.update(planner_hint(s))
        columns = [StageColumn(r.id, r.name, r.probability, r.is_won, r.is_lost, r.n, r.total, r.weighted)
                   for r in s.execute(text(TOTALS_SQL), params)]
        by_stage = {c.stage_id: c for c in columns}
        for r in s.execute(text(CARDS_SQL), {**params, "per_stage": per_stage}).mappings():
            by_stage[r["stage_id"]].cards.append(dict(r))
    return columns


def move_card(db: Database, card: dict[str, Any], stage_id: int, lost_reason: str = "") -> dict[str, Any]:
    """A card dropped on another column: the stage changes in the database (which writes the
    history, sets status and refuses what it must); returns the row as the server keeps it."""
    original = {"id": card["id"], "version": card["version"], "stage_id": card["stage_id"]}
    return opportunity.move_to_stage(db, original, stage_id, lost_reason)


def my_totals(db: Database) -> dict[str, Any]:
    """The workbench card: my open opportunities (stages neither won nor lost) and their sums."""
    with db.session() as s:
        r = s.execute(text("""
            select count(o.id) as n, coalesce(sum(o.expected_amount), 0) as total,
                   coalesce(sum(round(o.expected_amount * st.probability / 100, 2)), 0) as weighted
              from crm.opportunity o join crm.opportunity_stage st on st.id = o.stage_id
             where o.owner_id = crm.current_account() and not st.is_won and not st.is_lost""")).one()
        return {"count": r.n, "total": r.total, "weighted": r.weighted}


# -- 销售分析 ----------------------------------------------------------------------------------

@dataclass
class Analysis:
    funnel: list[dict[str, Any]]          # stage, count, amount (every stage, in order)
    won_by_month: list[dict[str, Any]]    # month 'YYYY-MM', count, amount
    won_by_owner: list[dict[str, Any]]    # owner, count, amount (largest first)
    won: int
    lost: int
    win_rate: Decimal | None              # percent, won / (won + lost); None before any is decided
    average_days_to_win: Decimal | None   # from creation to entering a won stage (stage history)
    stage_days: list[dict[str, Any]]      # stage, average days spent in it before leaving (history)


_PERIOD = """(cast(:date_from as date) is null or o.starts_on >= :date_from)
  and (cast(:date_to as date) is null or o.starts_on <= :date_to)"""

FUNNEL_SQL = f"""
select st.name as stage, count(o.id) as count, coalesce(sum(o.expected_amount), 0) as amount
  from crm.opportunity_stage st
  left join crm.opportunity o on o.stage_id = st.id and {_PERIOD}
 group by st.id order by st.sort_order, st.id"""

WON_BY_MONTH_SQL = f"""
select to_char(date_trunc('month', o.stage_entered_at), 'YYYY-MM') as month, count(*) as count,
       sum(o.expected_amount) as amount
  from crm.opportunity o join crm.opportunity_stage st on st.id = o.stage_id
 where st.is_won and {_PERIOD}
 group by 1 order by 1"""

WON_BY_OWNER_SQL = f"""
select a.name as owner, count(*) as count, sum(o.expected_amount) as amount
  from crm.opportunity o join crm.opportunity_stage st on st.id = o.stage_id join crm.account a on a.id = o.owner_id
 where st.is_won and {_PERIOD}
 group by a.id, a.name order by amount desc, a.name"""

RATE_SQL = f"""
select count(*) filter (where st.is_won) as won, count(*) filter (where st.is_lost) as lost,
       round(100.0 * count(*) filter (where st.is_won)
             / nullif(count(*) filter (where st.is_won or st.is_lost), 0), 1) as win_rate
  from crm.opportunity o join crm.opportunity_stage st on st.id = o.stage_id
 where {_PERIOD}"""

DAYS_TO_WIN_SQL = f"""
select round(avg(extract(epoch from (w.at - first.at)) / 86400)::numeric, 1) as days
  from crm.opportunity o
  join lateral (select min(h.at) as at from crm.opportunity_stage_history h where h.opportunity_id = o.id) first on true
  join lateral (select min(h.at) as at from crm.opportunity_stage_history h join crm.opportunity_stage st
                    on st.id = h.to_stage_id where h.opportunity_id = o.id and st.is_won) w on true
 where w.at is not null and {_PERIOD}"""

STAGE_DAYS_SQL = f"""
select st.name as stage, round(avg(h.seconds_in_stage) / 86400, 1) as days, count(h.id) as count
  from crm.opportunity_stage st
  left join (crm.opportunity_stage_history h join crm.opportunity o on o.id = h.opportunity_id and {_PERIOD})
    on h.from_stage_id = st.id
 where not st.is_won and not st.is_lost
 group by st.id order by st.sort_order, st.id"""


def analysis(db: Database, date_from: date | None = None, date_to: date | None = None) -> Analysis:
    """销售分析 of the opportunities started (开始时间) in the period, as far as the caller sees."""
    p = {"date_from": date_from, "date_to": date_to}
    with user_errors(), db.session() as s:
        def rows(sql: str) -> list[dict[str, Any]]:
            return [dict(r) for r in s.execute(text(sql), p).mappings()]

        rate = s.execute(text(RATE_SQL), p).one()
        return Analysis(funnel=rows(FUNNEL_SQL), won_by_month=rows(WON_BY_MONTH_SQL),
                        won_by_owner=rows(WON_BY_OWNER_SQL), won=rate.won, lost=rate.lost, win_rate=rate.win_rate,
                        average_days_to_win=s.scalar(text(DAYS_TO_WIN_SQL), p), stage_days=rows(STAGE_DAYS_SQL))


def export_analysis(result: Analysis, path, labels: dict[str, str]) -> None:
    """销售分析 to an .xlsx, one sheet per figure (``labels``: the translated headers)."""
    from crm_desktop.excel.export import write_sheets

    L = labels
    write_sheets(path, [
        (L["funnel"], [L["stage"], L["count"], L["amount"]], [(r["stage"], r["count"], r["amount"]) for r in result.funnel]),
        (L["by_month"], [L["month"], L["count"], L["amount"]],
         [(r["month"], r["count"], r["amount"]) for r in result.won_by_month]),
        (L["by_owner"], [L["owner"], L["count"], L["amount"]],
         [(r["owner"], r["count"], r["amount"]) for r in result.won_by_owner]),
        (L["summary"], [L["figure"], L["value"]],
         [(L["won"], result.won), (L["lost"], result.lost), (L["win_rate"], result.win_rate),
          (L["days_to_win"], result.average_days_to_win)]
         + [(f"{L['stage_days']}: {r['stage']}", r["days"]) for r in result.stage_days]),
    ])


def filter_choices(db: Database) -> dict[str, list[tuple[str, int]]]:
    """The board's filter lists: the accounts and departments the caller sees (names, ids)."""
    with db.session() as s:
        owners = [(r.name, r.id) for r in s.execute(text(
            "select id, name from crm.account where deleted_at is null order by name"))]
        departments = [(r.name, r.id) for r in s.execute(text("select id, name from crm.department order by name"))]
    return {"owners": owners, "departments": departments}


def departments_below(db: Database, department_id: int) -> tuple[int, ...]:
    from crm_desktop.services.org import department_and_below

    return tuple(department_and_below(db, department_id))
