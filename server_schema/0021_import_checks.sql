-- Field checks shared with the client's validators (crm_desktop/validators.py: the forms and the
-- Excel import use the same patterns), the administrator's switch for 撞单 (whether the
-- duplicate check across the whole archive names the customer's follower), and the indexes that
-- check searches by: the normalised name and the phone digits.
-- definitions: customers
-- depends: 0019_customer_delete_by_function
--
-- The function crm.customers_in_archive and the setting's policies are in definitions/customers.sql.

alter table crm.customer
    add constraint customer_phone_format
        check (phone = '' or phone ~ '^[+]?[0-9][0-9 -]{5,24}(转[0-9]{1,6})?$'),
    add constraint customer_fax_format
        check (fax = '' or fax ~ '^[+]?[0-9][0-9 -]{5,24}(转[0-9]{1,6})?$'),
    add constraint customer_mobile_format check (mobile = '' or mobile ~ '^1[3-9][0-9]{9}$'),
    add constraint customer_postcode_format check (postcode = '' or postcode ~ '^[0-9]{6}$');

alter table crm.contact
    add constraint contact_phone_format
        check (phone = '' or phone ~ '^[+]?[0-9][0-9 -]{5,24}(转[0-9]{1,6})?$'),
    add constraint contact_mobile_format check (mobile = '' or mobile ~ '^1[3-9][0-9]{9}$');

-- 撞单: the same company typed again by someone who cannot see the first one.  The keys are the
-- expressions crm.customers_in_archive compares (full-width forms folded, blanks and punctuation
-- dropped, any case; a phone's digits).
create index customer_name_key on crm.customer
    (lower(regexp_replace(normalize(name, NFKC), '[[:space:][:punct:]、，。·]', '', 'g')));
create index customer_phone_key on crm.customer (regexp_replace(phone, '[^0-9]', '', 'g')) where phone <> '';
create index customer_mobile_key on crm.customer (mobile) where mobile <> '';

create table crm.customer_archive_setting (
    id                       boolean primary key default true,
    disclose_duplicate_owner boolean not null default true,
    constraint customer_archive_setting_one_row check (id)
);
comment on column crm.customer_archive_setting.disclose_duplicate_owner is
    '撞单: the duplicate check names the follower of a customer the caller cannot see';
insert into crm.customer_archive_setting (id) values (true);
alter table crm.customer_archive_setting enable row level security, force row level security;
grant select on crm.customer_archive_setting to crm_user;
-- changed only through crm.set_duplicate_owner_disclosure, which refuses an account without
-- customer.settings (an UPDATE policy would silently change 0 rows)

call crm_meta.finish_migration();
