"""销售机会 as real accounts: stages with probability and won/lost flags, a lost one needs a reason,
the stage history written by trigger (a raw UPDATE included), who sees and changes what."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest

from crm_desktop.messages import UserError
from crm_desktop.services import customer as customers
from crm_desktop.services import opportunity as svc


@pytest.fixture
def deal(login, unique):
    rep = login("chenjing")
    cid = customers.create_customer(rep, {"name": f"机会客户{unique}"})["id"]
    stage = {s["name"]: s for s in svc.stages(rep)}
    opp = svc.create_opportunity(rep, cid, {"title": "年度软件采购", "expected_amount": "120000.50",
                                            "kind": "新客户"})
    return rep, cid, stage, opp


def test_a_new_opportunity_starts_at_the_first_stage_with_its_probability(deal):
    rep, _cid, stage, opp = deal
    assert (opp["stage_id"], opp["probability"], opp["status"], opp["owner_id"]) == (
        stage["线索收集"]["id"], Decimal("10.00"), "open", rep.account_id)
    assert opp["expected_amount"] == Decimal("120000.50")
    [first] = svc.stage_history(rep, opp["id"])
    assert (first["from_stage_id"], first["to_stage_id"], first["actor_id"]) == (None, stage["线索收集"]["id"],
                                                                                 rep.account_id)


def test_won_and_lost_stages_set_the_status_and_lost_needs_a_reason(deal):
    rep, _cid, stage, opp = deal
    opp = svc.move_to_stage(rep, opp, stage["方案报价"]["id"])
    assert (opp["probability"], opp["status"]) == (Decimal("50.00"), "open")
    with pytest.raises(UserError) as err:
        svc.move_to_stage(rep, opp, stage["输单"]["id"])
    assert err.value.key == "opportunity_lost_needs_reason"
    lost = svc.move_to_stage(rep, opp, stage["输单"]["id"], lost_reason="价格太高")
    assert (lost["status"], lost["probability"], lost["lost_reason"]) == ("lost", Decimal("0.00"), "价格太高")
    won = svc.move_to_stage(rep, lost, stage["赢单"]["id"])
    assert (won["status"], won["probability"]) == ("won", Decimal("100.00"))
    history = svc.stage_history(rep, opp["id"])
    assert [h["to_stage_id"] for h in history] == [stage[n]["id"] for n in ("线索收集", "方案报价", "输单", "赢单")]
    assert all(h["seconds_in_stage"] is not None and h["seconds_in_stage"] >= 0 for h in history[1:])


def test_a_raw_update_is_recorded_and_a_raw_lost_without_reason_refused(deal, raw_connect):
    rep, _cid, stage, opp = deal
    conn = raw_connect("chenjing")
    conn.execute("update crm.opportunity set stage_id = %s where id = %s", (stage["商务谈判"]["id"], opp["id"]))
    assert [h["to_stage_id"] for h in svc.stage_history(rep, opp["id"])][-1] == stage["商务谈判"]["id"]
    with pytest.raises(psycopg.Error) as err:
        conn.execute("update crm.opportunity set stage_id = %s where id = %s", (stage["输单"]["id"], opp["id"]))
    assert err.value.diag.constraint_name == "opportunity_lost_needs_reason"
    with pytest.raises(psycopg.Error) as err:  # nobody writes history by hand
        conn.execute("insert into crm.opportunity_stage_history (opportunity_id, to_stage_id) values (%s, %s)",
                     (opp["id"], stage["赢单"]["id"]))
    assert err.value.sqlstate == "42501"
    with pytest.raises(psycopg.Error) as err:  # nor the entry time of a stage
        conn.execute("update crm.opportunity set stage_entered_at = now() - interval '1 year' where id = %s",
                     (opp["id"],))
    assert err.value.sqlstate == "42501"


def test_leaders_see_subordinates_opportunities_others_do_not(deal, login, raw_connect):
    _rep, _cid, _stage, opp = deal
    assert any(o["id"] == opp["id"] for o in svc.opportunities(login("wangfang")))  # 销售一部经理
    assert not any(o["id"] == opp["id"] for o in svc.opportunities(login("zhouqiang")))  # 销售二部
    conn = raw_connect("zhouqiang")
    assert conn.execute("update crm.opportunity set title = 'x' where id = %s", (opp["id"],)).rowcount == 0


def test_a_sharee_sees_but_may_not_change_the_owners_opportunity(deal, login, raw_connect):
    rep, cid, _stage, opp = deal
    sharee = login("zhouqiang")
    customers.share_customers(rep, [cid], [sharee.account_id])
    assert any(o["id"] == opp["id"] for o in svc.opportunities(sharee))
    conn = raw_connect("zhouqiang")
    with pytest.raises(psycopg.Error) as err:
        conn.execute("update crm.opportunity set title = 'x' where id = %s", (opp["id"],))
    assert err.value.diag.constraint_name == "opportunity_not_editable"
    # the owner must see the customer
    with pytest.raises(UserError) as refused:
        svc.create_opportunity(rep, cid, {"title": "给别人", "owner_id": login("huangmin").account_id})
    assert refused.value.key == "opportunity_owner_cannot_see"


def test_only_settings_managers_change_stages(raw_connect):
    rep = raw_connect("chenjing")
    with pytest.raises(psycopg.Error) as err:
        rep.execute("update crm.opportunity_stage set probability = 99 where name = '线索收集'")
    assert err.value.diag.constraint_name == "permission_denied"
    with pytest.raises(psycopg.Error) as err:
        rep.execute("insert into crm.opportunity_stage (name, probability) values ('自定义', 20)")
    assert err.value.diag.constraint_name == "permission_denied"
