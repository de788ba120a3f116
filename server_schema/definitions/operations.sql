-- operations: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

drop policy if exists "accounts without a role see and change nothing" on crm.backup_run;
create policy "accounts without a role see and change nothing" on crm.backup_run as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "backup managers see the backup record" on crm.backup_run;
create policy "backup managers see the backup record" on crm.backup_run as permissive for select to crm_user
    using (( SELECT crm.has_permission('system.backup'::text) AS has_permission));

call crm_meta.finish_migration();
