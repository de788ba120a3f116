"""Products against PostgreSQL: permissions as ordinary accounts, numbering under concurrency,
unit conversions in numeric, price memory, cycle dates, custom fields, categories and pictures."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import psycopg
import pytest

from crm_desktop.messages import UserError, translate_error
from crm_desktop.services import product as products
from crm_desktop.services import product_settings as settings
from crm_desktop.services.records import StaleRow

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def admin(login):
    return login("zhangmc")


@pytest.fixture
def catalogue(admin, unique):
    """A fresh category (its own number sequence), unit and type for one test."""
    code = "T" + unique[:6].upper()
    category = settings.save_category(admin, {"name": f"测试类别{unique}", "code": code})
    unit = settings.save_unit(admin, {"name": f"件{unique}"})
    return {"category": category, "unit": unit, "code": code}


def new_product(db, catalogue, **values):
    base = {"category_id": catalogue["category"]["id"], "base_unit_id": catalogue["unit"]["id"], "name": "产品"}
    return products.save_product(db, {**base, **values})


def sqlstate_of(call):
    with pytest.raises(psycopg.Error) as raised:
        call()
    return raised.value.sqlstate, raised.value.diag.constraint_name


# -- permissions ------------------------------------------------------------------------------
def test_every_account_reads_the_catalogue(raw_connect):
    conn = raw_connect("chenjing")
    assert conn.execute("select count(*) from crm.product").fetchone()[0] >= 250
    assert conn.execute("select count(*) from crm.product_category").fetchone()[0] >= 19
    assert conn.execute("select count(*) from crm.unit_conversion").fetchone()[0] >= 4


@pytest.mark.parametrize("account", ["chenjing", "lihua"])
def test_accounts_without_product_permissions_cannot_write(raw_connect, account):
    conn = raw_connect(account)
    pid, cid, uid = conn.execute("select id, category_id, base_unit_id from crm.product limit 1").fetchone()
    statements = [
        ("insert into crm.product (category_id, base_unit_id, name) values (%s, %s, 'x')", (cid, uid)),
        ("update crm.product set name = 'x' where id = %s", (pid,)),
        ("delete from crm.product where id = %s", (pid,)),
        ("insert into crm.product_picture (product_id, mime_type, content) values (%s, 'image/png', '\\x00')", (pid,)),
        ("insert into crm.product_category (name, code) values ('x', 'XX1')", ()),
        ("update crm.product_category set name = name where id = %s", (cid,)),
        ("delete from crm.unit where id = %s", (uid,)),
        ("insert into crm.unit_conversion (from_unit_id, to_unit_id, factor) values (%s, %s, 2)", (uid, uid)),
        ("insert into crm.product_type (name) values ('x')", ()),
        ("insert into crm.product_custom_field (name) values ('x')", ()),
        ("update crm.numbering_rule set digits = 5 where code = 'product'", ()),
        ("select crm.remember_price(1, %s, 'sale', 1)", (pid,)),
        ("select * from crm.price_history", ()),
    ]
    for sql, params in statements:
        state, constraint = sqlstate_of(lambda: conn.execute(sql, params))
        assert state == "42501", sql
    assert conn.execute("select name from crm.product where id = %s", (pid,)).fetchone()[0] != "x"


def test_the_import_permission_adds_products_but_does_not_change_them(admin, catalogue, raw_connect, unique):
    from crm_desktop.services import role

    from sqlalchemy import text

    role_id = role.save_role(admin, {"name": f"产品导入{unique}"})["id"]
    role.set_role_permissions(admin, role_id, {"product.import"})
    with admin.session() as s:
        s.execute(text("insert into crm.account_role (account_id, role_id) select id, :r from crm.account "
                       "where login = 'heping'"), {"r": role_id})
    try:
        conn = raw_connect("heping")
        cid, uid = catalogue["category"]["id"], catalogue["unit"]["id"]
        pid = conn.execute("insert into crm.product (category_id, base_unit_id, name) values (%s, %s, '导入的')"
                           " returning id", (cid, uid)).fetchone()[0]
        assert sqlstate_of(lambda: conn.execute("update crm.product set name = 'y' where id = %s", (pid,)))[0] == "42501"
    finally:
        # the cascade to role_permission / account_role runs as the table owner (see 0004's grant)
        role.delete_role(admin, role_id)


def test_a_denied_write_reads_as_a_sentence(login, catalogue):
    with pytest.raises(Exception) as raised:
        new_product(login("chenjing"), catalogue)
    assert translate_error(raised.value).key == "permission_denied"
    assert "产品" in str(translate_error(raised.value))


# -- numbering ----------------------------------------------------------------------------------
def test_an_empty_number_is_drawn_from_the_category_code(admin, catalogue):
    first = new_product(admin, catalogue)
    second = new_product(admin, catalogue, number="  ")
    own = new_product(admin, catalogue, number=f"MY-{catalogue['code']}")
    code = catalogue["code"]
    assert (first["number"], second["number"], own["number"]) == (f"FH-{code}-001", f"FH-{code}-002", f"MY-{code}")
    assert products.preview_number(admin, catalogue["category"]["id"]) == f"FH-{code}-003"


def test_numbers_are_unique(admin, catalogue):
    new_product(admin, catalogue, number=f"DUP-{catalogue['code']}")
    with pytest.raises(Exception) as raised:
        new_product(admin, catalogue, number=f"DUP-{catalogue['code']}")
    assert translate_error(raised.value).key == "product_number_unique"


def test_concurrent_inserts_get_distinct_numbers_without_gaps(catalogue, raw_connect):
    workers, each = 8, 5
    connections = [raw_connect("zhangmc", autocommit=False) for _ in range(workers)]
    start, errors = threading.Barrier(workers), []
    cid, uid = catalogue["category"]["id"], catalogue["unit"]["id"]

    def insert(conn, index):
        try:
            start.wait()
            for n in range(each):
                conn.execute("insert into crm.product (category_id, base_unit_id, name) values (%s, %s, %s)",
                             (cid, uid, f"并发{index}-{n}"))
                # every worker also loses one insert: its number must come back, not leave a gap
                (conn.rollback if n == 2 else conn.commit)()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=insert, args=(c, i)) for i, c in enumerate(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    numbers = [r[0] for r in connections[0].execute(
        "select number from crm.product where category_id = %s order by number", (cid,))]
    kept = workers * (each - 1)
    assert numbers == [f"FH-{catalogue['code']}-{i:03d}" for i in range(1, kept + 1)]


# -- units --------------------------------------------------------------------------------------
def _unit_ids(db) -> dict[str, int]:
    return {u["name"]: u["id"] for u in settings.list_units(db)}


@pytest.mark.parametrize("quantity, source, target, expected", [
    ("3", "个", "打", "0.250000"),
    ("1", "半打", "打", "0.500000"),  # through 个
    ("7", "打", "个", "84.000000"),
    ("1", "个", "打", "0.083333"),
    ("2.5", "箱", "半打", "10.000000"),
    ("0.1", "打", "个", "1.200000"),
    ("1", "令", "张", "500.000000"),
])
def test_conversions_are_numeric_arithmetic(admin, quantity, source, target, expected):
    units = _unit_ids(admin)
    result = settings.convert_quantity(admin, Decimal(quantity), units[source], units[target])
    assert type(result) is Decimal and result == Decimal(expected)


def test_a_products_own_rule_wins_and_quantities_convert_to_its_base_unit(admin, catalogue):
    units = _unit_ids(admin)
    product = new_product(admin, catalogue, base_unit_id=units["个"])
    settings.save_conversion(admin, {"product_id": product["id"], "from_unit_id": units["箱"],
                                     "to_unit_id": units["个"], "factor": Decimal(10)})
    assert products_base(admin, product, "2", units["箱"]) == Decimal("20")
    assert products_base(admin, product, "2", units["打"]) == Decimal("24")
    assert settings.convert_quantity(admin, Decimal(2), units["箱"], units["个"]) == Decimal(48)


def products_base(db, product, quantity, unit):
    return settings.to_base_quantity(db, product["id"], Decimal(quantity), unit)


def test_units_without_a_conversion_are_refused(admin, catalogue):
    units = _unit_ids(admin)
    with pytest.raises(Exception) as raised:
        settings.convert_quantity(admin, Decimal(1), units["台"], units["张"])
    assert translate_error(raised.value).key == "unit_conversion_missing"
    with pytest.raises(Exception) as raised:
        settings.save_conversion(admin, {"from_unit_id": units["台"], "to_unit_id": units["张"], "factor": Decimal(0)})
    assert translate_error(raised.value).key == "unit_conversion_factor_positive"


def test_no_float_anywhere_in_the_product_schema(raw_connect):
    conn = raw_connect("zhangmc")
    floats = conn.execute("""select table_name, column_name from information_schema.columns
                             where table_schema = 'crm' and data_type in ('real', 'double precision')""").fetchall()
    assert floats == []
    results = conn.execute("""select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                              where n.nspname = 'crm' and p.prorettype in ('float4'::regtype, 'float8'::regtype)""")
    assert results.fetchall() == []


# -- price memory and cycles ------------------------------------------------------------------
def test_price_memory_proposes_the_list_price_first_then_the_last_price(admin, admin_db, login, catalogue, unique):
    from crm_desktop.services import customer as customers

    product = new_product(admin, catalogue, sale_price=Decimal("100.00"), purchase_price=Decimal("70.00"))
    pid = product["id"]
    mine = customers.create_customer(login("chenjing"), {"name": f"价格记忆甲{unique}"})["id"]
    other = customers.create_customer(login("chenjing"), {"name": f"价格记忆乙{unique}"})["id"]
    assert products.proposed_price(admin, mine, pid) == Decimal("100.00")
    assert products.proposed_price(admin, 901, pid, "purchase") == Decimal("70.00")
    with admin_db.session() as s:  # what the sales documents' functions will do
        from sqlalchemy import text

        for price, at in (("95.50", "2013-03-01"), ("92.00", "2013-04-01"), ("99.00", "2013-02-01")):
            s.execute(text("select crm.remember_price(:c, :p, 'sale', :price, :at)"),
                      {"c": mine, "p": pid, "price": Decimal(price), "at": at})
        s.execute(text("select crm.remember_price(901, :p, 'purchase', 65, now())"), {"p": pid})
    assert products.proposed_price(admin, mine, pid) == Decimal("92.00")  # the latest, not the last inserted
    assert products.proposed_price(login("chenjing"), mine, pid) == Decimal("92.00")  # her own customer
    assert products.proposed_price(admin, 901, pid, "purchase") == Decimal("65.00")
    assert products.proposed_price(admin, other, pid) == Decimal("100.00")  # another customer
    # a rep of another department may not learn what chenjing's private customer paid
    assert products.proposed_price(login("zhouqiang"), mine, pid) == Decimal("100.00")
    with pytest.raises(UserError):
        products.proposed_price(admin, 901, pid, "rental")


def test_due_dates_follow_the_product_cycles(admin, catalogue):
    product = new_product(admin, catalogue, service_basis="outbound", service_days=180,
                          maintenance_basis="inbound", maintenance_days=90,
                          scrap_basis="production", scrap_days=1825)
    pid, shipped = product["id"], date(2013, 3, 8)
    assert products.due_dates(admin, pid, "outbound", shipped) == (date(2013, 9, 4), None, None)
    assert products.due_dates(admin, pid, "sale", shipped) == (None, None, None)
    assert products.due_dates(admin, pid, "inbound", shipped) == (None, date(2013, 6, 6), None)
    assert products.due_dates(admin, pid, "production", shipped) == (None, None, date(2018, 3, 7))
    # the next maintenance on or after a later day: 2013-06-06, 09-04, 12-03, …
    assert products.due_dates(admin, pid, "inbound", shipped, after=date(2013, 9, 1)).maintenance == date(2013, 9, 4)
    assert products.due_dates(admin, pid, "inbound", shipped, after=date(2013, 9, 5)).maintenance == date(2013, 12, 3)
    with pytest.raises(UserError):
        products.due_dates(admin, pid, "someday", shipped)


# -- custom fields, categories, pictures, versions ----------------------------------------------
def test_custom_field_values_are_checked_by_type(admin, catalogue, unique):
    number = settings.save_custom_field(admin, {"name": f"重量{unique}", "kind": "number"})
    choice = settings.save_custom_field(admin, {"name": f"颜色{unique}", "kind": "choice", "choices": ["红", "蓝"]})
    day = settings.save_custom_field(admin, {"name": f"上市{unique}", "kind": "date"})
    try:
        for bad in ({str(number["id"]): "abc"}, {str(choice["id"]): "绿"}, {str(day["id"]): "2013-02-30"},
                    {str(number["id"]): 12}):
            with pytest.raises(Exception) as raised:
                new_product(admin, catalogue, custom_fields=bad)
            assert translate_error(raised.value).key == "product_custom_field_invalid", bad
        fields = [number, choice, day]
        stored = products.encode_custom_values(fields, {number["id"]: Decimal("1.50"), choice["id"]: "红",
                                                        day["id"]: date(2013, 3, 8)})
        saved = new_product(admin, catalogue, custom_fields={**stored, "999999": "x"})
        assert saved["custom_fields"] == {str(number["id"]): "1.50", str(choice["id"]): "红",
                                          str(day["id"]): "2013-03-08"}  # an unknown field's value is dropped
        assert products.decode_custom_values(fields, saved["custom_fields"])[number["id"]] == Decimal("1.50")
    finally:
        for f in (number, choice, day):
            settings.delete_custom_field(admin, f["id"])


def test_category_paths_follow_renames_and_moves_cannot_make_loops(admin, unique):
    top = settings.save_category(admin, {"name": f"顶{unique}", "code": f"A{unique[:6]}"})
    mid = settings.save_category(admin, {"name": "中", "code": f"B{unique[:6]}", "parent_id": top["id"]})
    leaf = settings.save_category(admin, {"name": "叶", "code": f"C{unique[:6]}", "parent_id": mid["id"]})
    assert leaf["path"] == f"顶{unique}/中/叶"
    settings.save_category(admin, {"name": f"新{unique}"}, original=top)
    assert {c["id"]: c["path"] for c in settings.list_categories(admin)}[leaf["id"]] == f"新{unique}/中/叶"
    top = next(c for c in settings.list_categories(admin) if c["id"] == top["id"])
    with pytest.raises(Exception) as raised:
        settings.save_category(admin, {"parent_id": leaf["id"]}, original=top)
    assert translate_error(raised.value).key == "product_category_parent_cycle"
    assert settings.subtree_ids(settings.list_categories(admin), top["id"]) == {top["id"], mid["id"], leaf["id"]}


def test_category_codes_become_number_segments_so_they_are_checked(admin, unique):
    for code, key in (("A-1", "product_category_code_format"), ("FYZ", "product_category_code_unique")):
        with pytest.raises(Exception) as raised:
            settings.save_category(admin, {"name": f"错{unique}", "code": code})
        assert translate_error(raised.value).key == key


def test_pictures_are_stored_checked_and_audited_without_their_bytes(admin, admin_db, catalogue):
    product = new_product(admin, catalogue)
    products.save_product(admin, {**product, "notes": "有图"}, original=product, picture=PNG)
    assert products.get_picture(admin, product["id"]) == PNG
    for content, key in ((b"not an image", "product_picture_unreadable"),
                         (PNG + b"\0" * products.MAX_PICTURE_BYTES, "product_picture_too_large")):
        with pytest.raises(UserError) as raised:
            products.save_product(admin, products.get_product(admin, product["id"]),
                                  original=products.get_product(admin, product["id"]), picture=content)
        assert raised.value.key == key
    current = products.get_product(admin, product["id"])
    products.save_product(admin, current, original=current, picture=b"")
    assert products.get_picture(admin, product["id"]) is None
    with admin_db.session() as s:
        from sqlalchemy import text

        changes = s.execute(text("select changes from crm.audit_log where table_name = 'product_picture' "
                                 "and row_id = :id order by id"), {"id": str(product["id"])}).scalars().all()
    assert changes[0] == {"mime_type": "image/png", "bytes": len(PNG)} and len(changes) == 2


def test_a_stale_save_is_refused(admin, login, catalogue):
    product = new_product(admin, catalogue)
    other = login("zhangmc")
    products.save_product(other, {**product, "name": "别人改的"}, original=product)
    with pytest.raises(StaleRow) as raised:
        products.save_product(admin, {**product, "name": "我改的"}, original=product)
    assert raised.value.changes["name"] == ("产品", "别人改的")


def test_prices_must_be_decimal_never_float(admin, catalogue):
    with pytest.raises(TypeError):
        new_product(admin, catalogue, sale_price=9.99)


def test_deleting_a_product_takes_its_conversions_and_picture_along(admin, catalogue):
    units = _unit_ids(admin)
    product = new_product(admin, catalogue)
    products.save_product(admin, product, original=product, picture=PNG)
    settings.save_conversion(admin, {"product_id": product["id"], "from_unit_id": units["箱"],
                                     "to_unit_id": catalogue["unit"]["id"], "factor": Decimal(3)})
    assert products.delete_products(admin, [product["id"]]) == 1
    assert settings.list_conversions(admin, product["id"]) == []
    assert products.get_picture(admin, product["id"]) is None
