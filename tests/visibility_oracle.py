"""The visibility oracle, shared by the read tests and the mutation tests: plain Python decides from
the raw rows which customers, contacts, plans and shares each account must see and may change.
See tests/db/test_customer_visibility.py for the rules it encodes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import psycopg


@dataclass
class World:
    """The raw rows, read as the superuser."""

    accounts: dict[str, int]
    can_log_in: dict[str, bool]
    roles: dict[int, set[int]]
    admin_roles: set[int]
    positions: dict[int, tuple[int, int | None, bool]]  # id -> (department, superior, is_manager)
    holders: dict[int, set[int]]  # account -> positions
    parent: dict[int, int | None]
    org_of: dict[int, int]
    scopes: list[tuple[int, int | None, int | None]]
    categories: dict[int, set[int]]
    shares: dict[int, set[int]]  # account -> customers
    customers: dict[int, tuple[int | None, int | None, bool, int | None]]  # owner, dept, private, type
    contacts: dict[int, int]  # contact -> customer
    plans: dict[int, tuple[int, int, int | None]]  # plan -> (customer, follower, author)
    share_rows: list[tuple[int, int]]  # (customer, receiver)
    quotes: dict[int, tuple[int, int]] = field(default_factory=dict)  # quote -> (handler, customer)
    # quote -> accounts taking part in its approval: submitters, approvers, deciders (delegations aside)
    quote_participants: dict[int, set[int]] = field(default_factory=dict)
    records: dict[int, tuple[int, int, int | None]] = field(default_factory=dict)  # record -> (customer, handler, author)
    opportunities: dict[int, tuple[int, int, int | None]] = field(default_factory=dict)  # -> (customer, owner, author)


def read_world(url: str) -> World:
    with psycopg.connect(url) as su:
        q = lambda sql: su.execute(sql).fetchall()  # noqa: E731
        roles = defaultdict(set)
        for account, role in q("select account_id, role_id from crm.account_role"):
            roles[account].add(role)
        holders = defaultdict(set)
        for account, position in q("select account_id, position_id from crm.account_position"):
            holders[account].add(position)
        categories, shares = defaultdict(set), defaultdict(set)
        for account, type_id in q("select account_id, type_id from crm.account_category_permission"):
            categories[account].add(type_id)
        for customer, account in q("select customer_id, account_id from crm.customer_share"):
            shares[account].add(customer)
        main_department = dict(q("""select ap.account_id, p.department_id from crm.account_position ap
                                    join crm.position p on p.id = ap.position_id where ap.is_main"""))
        customers = {}
        for cid, owner, dept, private, type_id in q(
                "select id, owner_id, department_id, is_private, type_id from crm.customer"):
            # a private customer is in its owner's main department as it is now
            customers[cid] = (owner, main_department.get(owner) if private else dept, private, type_id)
        return World(
            accounts=dict(q("select login, id from crm.account")),
            can_log_in={r[0]: r[1] for r in q("""select login, status = 'active' and not locked and deleted_at is null
                                                   and (valid_until is null or valid_until >= current_date)
                                                   from crm.account""")},
            roles=roles,
            admin_roles={r[0] for r in q("""select role_id from crm.role_permission
                                             where permission_code in ('system.admin', 'system')""")},
            positions={r[0]: (r[1], r[2], r[3]) for r in q("select id, department_id, superior_id, is_manager from crm.position")},
            holders=holders,
            parent=dict(q("select id, parent_id from crm.department")),
            org_of=dict(q("select id, organization_id from crm.department")),
            scopes=q("select account_id, organization_id, department_id from crm.management_scope"),
            categories=categories, shares=shares,
            customers=customers,
            contacts=dict(q("select id, customer_id from crm.contact")),
            plans={r[0]: r[1:] for r in q("select id, customer_id, account_id, created_by from crm.contact_plan")},
            share_rows=q("select customer_id, account_id from crm.customer_share"),
            quotes={r[0]: r[1:] for r in q("select id, handler_id, customer_id from crm.quote")},
            quote_participants=_quote_participants(q),
            records={r[0]: r[1:] for r in q("select id, customer_id, account_id, created_by from crm.contact_record")},
            opportunities={r[0]: r[1:] for r in q("select id, customer_id, owner_id, created_by from crm.opportunity")})


def _quote_participants(q) -> dict[int, set[int]]:
    out = defaultdict(set)
    for quote, account in q("""select document_id, submitter_id from crm.approval_instance where document_type = 'quote'
                              union select i.document_id, x from crm.approval_instance i
                                      join crm.approval_task t on t.instance_id = i.id,
                                      unnest(array[t.approver_id, t.decided_by]) x
                               where i.document_type = 'quote' and x is not null"""):
        out[quote].add(account)
    # a delegate for today acts for the approvers who named them (crm.approval_acting_for)
    approvers = defaultdict(set)
    for quote, approver in q("""select i.document_id, t.approver_id from crm.approval_instance i
                                 join crm.approval_task t on t.instance_id = i.id where i.document_type = 'quote'"""):
        approvers[quote].add(approver)
    delegates = defaultdict(set)
    for account, delegate in q("""select account_id, delegate_id from crm.approval_delegation
                                   where not ended and current_date between starts_on and ends_on"""):
        delegates[account].add(delegate)
    for quote, names in approvers.items():
        for approver in names:
            out[quote] |= delegates[approver]
    return out


class Oracle:
    def __init__(self, w: World):
        self.w = w
        self.children = defaultdict(set)
        for dept, parent in w.parent.items():
            if parent is not None:
                self.children[parent].add(dept)

    def subtree(self, dept: int) -> set[int]:
        out, todo = set(), [dept]
        while todo:
            d = todo.pop()
            if d not in out:
                out.add(d)
                todo.extend(self.children[d])
        return out

    def led_positions(self, position: int) -> set[int]:
        """Positions a position leads: a manager leads its department subtree and its direct
        subordinates, and (transitively) whatever the positions it leads lead."""
        out, todo = set(), [position]
        while todo:
            p = todo.pop()
            dept, _sup, manager = self.w.positions[p]
            if not manager:
                continue
            direct = {r for r, (d, sup, _m) in self.w.positions.items() if d in self.subtree(dept) or sup == p}
            for r in direct - out:
                out.add(r)
                todo.append(r)
        return out - {position}

    def view(self, login: str):
        """(sees everything, me, led accounts, public departments, scope departments, types or None)."""
        w = self.w
        me = w.accounts[login]
        if w.roles[me] & w.admin_roles:
            return True, me, set(), set(), set(), None
        if not w.roles[me]:
            return False, None, set(), set(), set(), None
        led_pos = set().union(*(self.led_positions(p) for p in w.holders[me])) if w.holders[me] else set()
        led = {a for a, ps in w.holders.items() if ps & led_pos} - {me}
        public = set()
        for p in w.holders[me] | led_pos:
            dept, _s, manager = w.positions[p]
            public |= self.subtree(dept) if manager else {dept}
        scope = set()
        for account, org, dept in w.scopes:
            if account == me:
                scope |= {d for d, o in w.org_of.items() if o == org} if org else self.subtree(dept)
        return False, me, led, public, scope, (w.categories[me] or None)

    def may(self, login: str, edit: bool) -> set[int]:
        return self.may_account(self.w.accounts[login], edit)

    def may_account(self, me: int, edit: bool) -> set[int]:
        login = next(k for k, v in self.w.accounts.items() if v == me)
        everything, me, led, public, scope, types = self.view(login)
        if everything:
            return set(self.w.customers)
        out = set()
        for cid, (owner, dept, private, type_id) in self.w.customers.items():
            if me is None:
                continue
            reach = (owner == me or (private and owner in led) or (not private and dept in public)
                     or (not edit and (dept in scope or cid in self.w.shares[me])))
            if reach and (owner == me or types is None or type_id in types):
                out.add(cid)
        return out

    def plans(self, login: str) -> set[int]:
        everything, me, led, *_ = self.view(login)
        if everything:
            return set(self.w.plans)
        if me is None:
            return set()
        visible = self.may(login, edit=False)
        people = led | {me}
        return {p for p, (customer, follower, author) in self.w.plans.items()
                if follower in people or author in people or customer in visible}

    def records(self, login: str) -> set[int]:
        """Contact records: as plans — the handler, the author, their leaders, whoever sees the customer
        (so a sharee sees the shared customer's records)."""
        return self._hanging(login, self.w.records)

    def opportunities(self, login: str) -> set[int]:
        """Opportunities: the owner (负责人), the author, their leaders, whoever sees the customer."""
        return self._hanging(login, self.w.opportunities)

    def _hanging(self, login: str, rows: dict[int, tuple[int, int, int | None]]) -> set[int]:
        everything, me, led, *_ = self.view(login)
        if everything:
            return set(rows)
        if me is None:
            return set()
        visible = self.may(login, edit=False)
        people = led | {me}
        return {r for r, (customer, person, author) in rows.items()
                if person in people or author in people or customer in visible}

    def shares(self, login: str) -> set[tuple[int, int]]:
        everything, me, *_ = self.view(login)
        if me is None and not everything:
            return set()
        visible = self.may(login, edit=False)
        return {(c, a) for c, a in self.w.share_rows if everything or a == me or c in visible}

    def quotes(self, login: str) -> set[int]:
        """Quotes: whoever handles one and their leaders, whoever may see its customer, and the
        accounts taking part in its approval."""
        everything, me, led, *_ = self.view(login)
        if everything:
            return set(self.w.quotes)
        if me is None:
            return set()
        visible = self.may(login, edit=False)
        return {k for k, (handler, customer) in self.w.quotes.items()
                if handler in led | {me} or customer in visible or me in self.w.quote_participants.get(k, set())}
