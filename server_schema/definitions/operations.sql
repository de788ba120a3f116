-- operations: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

drop policy if exists "backup managers see the backup record" on crm.backup_run;
create policy "backup managers see the backup record" on crm.backup_run for select to crm_user
    using ((select crm.has_permission('system.backup')));

call crm_meta.finish_migration();
