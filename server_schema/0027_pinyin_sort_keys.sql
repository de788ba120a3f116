-- Pinyin sort keys for customer and product names, and full pinyin in the customer search text.
-- depends: 0019_customer_delete_by_function
-- definitions: customers
--
-- The embedded PostgreSQL has no ICU, so Chinese names sort by character code (上海… before
-- 北京…).  Like the pinyin initials, the client writes the full toneless pinyin of the name
-- (services.customer.name_pinyin: 北斗广告有限公司 → "beidou guanggao youxian gongsi" without
-- spaces), and lists sort by (name_pinyin, id).  Rows written before this migration keep ''
-- until their next save (the client cannot be run from a migration); they sort first.
-- The customer search text gains the full pinyin, so "beidou" finds 北斗 as "bd" does.

alter table crm.customer add column name_pinyin text not null default '';
alter table crm.product add column name_pinyin text not null default '';

-- a generated column's expression cannot be altered before PostgreSQL 17: drop and add it again
drop index crm.customer_search;
alter table crm.customer drop column search_key;
alter table crm.customer add column search_key text generated always as (
    lower(name || ' ' || number || ' ' || phone || ' ' || mobile || ' ' || name_initials || ' ' || name_pinyin
          || ' ' || contact_search)) stored;
create index customer_search on crm.customer using gin (crm.bigrams(search_key) crm.bigram_ops);

create index customer_pinyin_order on crm.customer (name_pinyin, id);
create index product_pinyin_order on crm.product (name_pinyin, id);

grant insert (name_pinyin), update (name_pinyin) on crm.customer to crm_user;
grant update (name_pinyin) on crm.product to crm_user;

call crm_meta.finish_migration();
