"""销售漏斗看板 and 销售分析 as real accounts: the board's per-stage figures and the analysis checked
against an independent computation (raw rows as the same account, summed in Python with Decimal),
a move through the service writes the row and the history, a lost stage needs the reason."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from crm_desktop.messages import UserError
from crm_desktop.services import customer as customers
from crm_desktop.services import opportunity
from crm_desktop.services import pipeline as svc


def independent_columns(conn) -> dict[int, tuple[int, Decimal, Decimal]]:
    stages = {r[0]: r[1] for r in conn.execute("select id, probability from crm.opportunity_stage")}
    out: dict[int, list] = {sid: [0, Decimal("0"), Decimal("0")] for sid in stages}
    for stage_id, amount in conn.execute("select stage_id, expected_amount from crm.opportunity"):
        col = out[stage_id]
        col[0] += 1
        col[1] += amount
    for stage_id, col in out.items():  # the stage's total × its probability, rounded half up once
        col[2] = (col[1] * stages[stage_id] / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return {k: tuple(v) for k, v in out.items()}


@pytest.mark.parametrize("name", ["chenjing", "wangfang", "zhangmc"])
def test_board_totals_match_an_independent_sum_under_rls(login, raw_connect, name, unique):
    db = login(name)
    cid = customers.create_customer(db, {"name": f"看板客户{unique}"})["id"]
    opportunity.create_opportunity(db, cid, {"title": "看板", "expected_amount": "1234.56"})
    columns = svc.board(db, per_stage=5)
    expected = independent_columns(raw_connect(name))
    assert [c.stage_id for c in columns] == sorted(expected, key=lambda s: [c.stage_id for c in columns].index(s))
    for c in columns:
        assert (c.count, c.total, c.weighted) == expected[c.stage_id], c.name
        assert isinstance(c.total, Decimal) and isinstance(c.weighted, Decimal)
        assert len(c.cards) == min(5, c.count)
        assert all(card["stage_id"] == c.stage_id for card in c.cards)
    assert sum(c.count for c in columns) > 0


def test_a_rep_sees_fewer_than_the_top_manager_and_filters_narrow(login, unique):
    rep, other = login("chenjing"), login("zhouqiang")  # 销售一部 / 销售二部
    for db in (rep, other):
        cid = customers.create_customer(db, {"name": f"范围客户{unique}{db.account_id}"})["id"]
        opportunity.create_opportunity(db, cid, {"title": "范围", "expected_amount": "10"})
    ids = lambda columns: {card["id"] for c in columns for card in c.cards}  # noqa: E731
    mine, top = svc.board(rep, per_stage=10_000), svc.board(login("zhangmc"), per_stage=10_000)
    assert sum(c.count for c in mine) < sum(c.count for c in top)
    assert ids(mine) < ids(top)
    only_me = svc.board(login("zhangmc"), svc.PipelineFilter(owner_id=rep.account_id), per_stage=10_000)
    assert ids(only_me) and all(card["owner_id"] == rep.account_id for c in only_me for card in c.cards)
    assert not any(card["owner_id"] == other.account_id for c in mine for card in c.cards)


def test_moving_a_card_writes_the_row_and_the_history_and_lost_needs_a_reason(login, raw_connect, unique):
    rep = login("chenjing")
    cid = customers.create_customer(rep, {"name": f"拖动客户{unique}"})["id"]
    opp = opportunity.create_opportunity(rep, cid, {"title": "拖动", "expected_amount": "500"})
    stages = {s["name"]: s for s in opportunity.stages(rep)}
    card = next(card for c in svc.board(rep, svc.PipelineFilter(owner_id=rep.account_id), per_stage=1000)
                for card in c.cards if card["id"] == opp["id"])
    moved = svc.move_card(rep, card, stages["方案报价"]["id"])
    conn = raw_connect("chenjing")
    assert conn.execute("select stage_id from crm.opportunity where id = %s", (opp["id"],)).fetchone()[0] \
        == stages["方案报价"]["id"]
    assert conn.execute("select to_stage_id from crm.opportunity_stage_history where opportunity_id = %s "
                        "order by at desc, id desc limit 1", (opp["id"],)).fetchone()[0] == stages["方案报价"]["id"]
    with pytest.raises(UserError) as err:  # stale card: the version moved on
        svc.move_card(rep, card, stages["赢单"]["id"])
    assert err.value.key == "stale_row"
    with pytest.raises(UserError) as err:
        svc.move_card(rep, moved, stages["输单"]["id"])
    assert err.value.key == "opportunity_lost_needs_reason"
    lost = svc.move_card(rep, moved, stages["输单"]["id"], "价格太高")
    assert lost["status"] == "lost" and lost["lost_reason"] == "价格太高"


@pytest.mark.parametrize("name", ["chenjing", "zhangmc"])
def test_analysis_matches_independent_sql(login, raw_connect, name, unique):
    rep = login("chenjing")
    stages = {s["name"]: s["id"] for s in opportunity.stages(rep)}
    cid = customers.create_customer(rep, {"name": f"分析客户{unique}"})["id"]
    for amount, stage, reason in (("800.10", "赢单", ""), ("300", "输单", "预算取消"), ("50", "商务谈判", "")):
        opp = opportunity.create_opportunity(rep, cid, {"title": "分析", "expected_amount": amount})
        svc.move_card(rep, opp, stages[stage], reason)
    result = svc.analysis(login(name))
    assert result.won >= 1 and result.lost >= 1 and result.average_days_to_win is not None
    conn = raw_connect(name)
    rows = conn.execute("""select st.name, st.is_won, st.is_lost, o.expected_amount, a.name,
                                  to_char(o.stage_entered_at, 'YYYY-MM')
                             from crm.opportunity o join crm.opportunity_stage st on st.id = o.stage_id
                             join crm.account a on a.id = o.owner_id""").fetchall()
    funnel_n, funnel_sum = Counter(), defaultdict(Decimal)
    by_owner, by_month = defaultdict(Decimal), defaultdict(Decimal)
    for stage, won, _lost, amount, owner, month in rows:
        funnel_n[stage] += 1
        funnel_sum[stage] += amount
        if won:
            by_owner[owner] += amount
            by_month[month] += amount
    assert {r["stage"]: (r["count"], r["amount"]) for r in result.funnel if r["count"]} \
        == {k: (funnel_n[k], funnel_sum[k]) for k in funnel_n}
    assert {r["owner"]: r["amount"] for r in result.won_by_owner} == dict(by_owner)
    assert {r["month"]: r["amount"] for r in result.won_by_month} == dict(by_month)
    won, lost = sum(1 for r in rows if r[1]), sum(1 for r in rows if r[2])
    assert (result.won, result.lost) == (won, lost)
    if won + lost:
        assert result.win_rate == (Decimal(100 * won) / (won + lost)).quantize(Decimal("0.1"))
    days = conn.execute("""select round(avg(extract(epoch from (w - f)) / 86400)::numeric, 1) from (
        select min(h.at) f, min(h.at) filter (where st.is_won) w from crm.opportunity_stage_history h
          join crm.opportunity_stage st on st.id = h.to_stage_id group by h.opportunity_id) x
         where w is not null""").fetchone()[0]
    assert result.average_days_to_win == days
