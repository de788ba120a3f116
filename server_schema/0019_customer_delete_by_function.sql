-- Accounts delete customers only through crm.delete_customers (definitions/customers.sql).
-- depends: 0018_sessions_and_locks
--
-- A table-wide DELETE grant lets its holder LOCK TABLE in any mode: any account could freeze every
-- customer list in the office.  Without it an account's strongest lock on crm.customer is ROW
-- EXCLUSIVE, which blocks nobody's reads or writes.

revoke delete on crm.customer from crm_user;

call crm_meta.finish_migration();
