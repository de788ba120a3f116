-- approval: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE FUNCTION crm.approval_account_active(p_account bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select coalesce((select a.status = 'active' and not a.locked and a.deleted_at is null
                            and (a.valid_until is null or a.valid_until >= current_date)
                       from crm.account a where a.id = p_account), false)
$function$;

CREATE OR REPLACE FUNCTION crm.approval_acting_for()
 RETURNS bigint[]
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    -- the current account and everyone who has named it delegate for today
    select case when me is null then '{}'::bigint[]
                else array[me] || coalesce((select array_agg(distinct d.account_id) from crm.approval_delegation d
                                             where d.delegate_id = me and not d.ended
                                               and current_date between d.starts_on and d.ends_on), '{}') end
      from (select crm.customer_viewer() as me) v
$function$;
grant execute on function crm.approval_acting_for() to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_approve(p_task bigint, p_comment text DEFAULT ''::text)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    l     record := crm.approval_lock_task(p_task);
    i     crm.approval_instance;
    k     crm.approval_task;
    t     crm.approval_document_type;
    print text;
    done  integer;
    state text;
begin
    i := l.i;
    k := l.k;
    t := crm.approval_type(i.document_type);
    execute format('select %s($1)', t.fingerprint_fn) into print using i.document_id;
    if print is distinct from i.fingerprint then
        raise exception using errcode = 'check_violation', message = 'approval_document_changed',
                              constraint = 'approval_document_changed';
    end if;
    update crm.approval_task set status = 'approved', decided_by = crm.current_account(), decided_at = now(),
           comment = coalesce(p_comment, '') where id = p_task;
    perform crm.approval_log(i.id, 'approve', k.step_no, p_comment, '{}', l.acting_for);
    select count(*) into done from crm.approval_task
     where instance_id = i.id and step_no = k.step_no and status = 'approved';
    if done >= i.required then
        update crm.approval_task set status = 'cancelled'
         where instance_id = i.id and step_no = k.step_no and status = 'open';
        perform crm.approval_start_step(i.id, k.step_no + 1);
    end if;
    state := (select status from crm.approval_instance where id = i.id);
    if state = 'pending' then  -- 审核人 / 审核时间: the last decision (the final one is written by start_step)
        perform crm.approval_set_document(t, i.document_id, 'pending', crm.current_account(), now(), i.id);
    end if;
    return state;
end
$function$;
grant execute on function crm.approval_approve(bigint,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_assign(p_instance bigint, p_to bigint, p_reason text)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- an administrator names a further approver for the active step of a stalled instance
declare
    i        crm.approval_instance;
    new_task bigint;
    name     text;
    have     integer;
begin
    select * into i from crm.approval_instance where id = p_instance for update;
    perform crm.approval_require_reassigner(i, p_to, p_reason);
    select s.name into name from crm.approval_flow_step s
     where s.flow_version_id = i.flow_version_id and s.step_no = i.current_step;
    insert into crm.approval_task (instance_id, step_no, step_name, approver_id)
    values (i.id, i.current_step, name, p_to) returning id into new_task;
    select count(*) into have from crm.approval_task
     where instance_id = i.id and step_no = i.current_step and status in ('open', 'approved');
    update crm.approval_instance set stalled = have < required where id = i.id;
    perform crm.approval_log(i.id, 'assign', i.current_step, p_reason,
                             jsonb_build_object('to', p_to, 'task', new_task));
    return new_task;
end
$function$;
grant execute on function crm.approval_assign(bigint,bigint,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_conditions_met(p_conditions jsonb, p_match text, p_facts jsonb)
 RETURNS boolean
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- [{"fact", "op", "value"}] against {"fact": "123.45"}: numbers compared as numeric.  A fact the
-- document does not have makes its condition false.
declare
    c      jsonb;
    fact   numeric;
    limit_ numeric;
    ok     boolean;
begin
    if jsonb_array_length(p_conditions) = 0 then
        return true;
    end if;
    for c in select * from jsonb_array_elements(p_conditions) loop
        fact := (p_facts ->> (c ->> 'fact'))::numeric;
        limit_ := (c ->> 'value')::numeric;
        ok := case c ->> 'op' when '>' then fact > limit_ when '>=' then fact >= limit_
                              when '<' then fact < limit_ when '<=' then fact <= limit_
                              when '=' then fact = limit_ when '<>' then fact <> limit_ end;
        ok := coalesce(ok, false);
        if p_match = 'any' and ok then
            return true;
        elsif p_match = 'all' and not ok then
            return false;
        end if;
    end loop;
    return p_match = 'all';
end
$function$;
grant execute on function crm.approval_conditions_met(jsonb,text,jsonb) to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_document_visible(p_type text, p_document bigint)
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    fn text := (select visible_fn from crm.approval_document_type where code = p_type);
    ok boolean;
begin
    if fn is null then
        return false;
    end if;
    execute format('select %s($1)', fn) into ok using p_document;
    return coalesce(ok, false);
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_end_delegation(p_id bigint)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    update crm.approval_delegation set ended = true
     where id = p_id and (account_id = crm.customer_viewer() or crm.has_permission('approval.reassign'));
    if not found then
        raise exception using errcode = 'insufficient_privilege', message = 'approval_delegation_not_yours',
                              constraint = 'approval_delegation_not_yours';
    end if;
end
$function$;
grant execute on function crm.approval_end_delegation(bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_engine_writes(p_on boolean)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    -- the guard trigger lets approval columns change only while this is on AND the writer is the
    -- definer role: an account can set the setting but never be crm_definer
    select set_config('crm.approval_engine', case when p_on then 'on' else 'off' end, true)
$function$;

CREATE OR REPLACE FUNCTION crm.approval_guard_document()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- on every document table (argument: the document type; further arguments: columns that are not
-- content, e.g. the order a quote became).  The approval columns change only through the engine;
-- nothing arrives approved; content is frozen while pending, and after approval refused or sent
-- back to draft as the type says.
declare
    engine  boolean := current_user = 'crm_definer' and current_setting('crm.approval_engine', true) = 'on';
    skip    text[] := array['approval_status', 'last_approver_id', 'last_approved_at', 'approval_instance_id',
                            'version', 'updated_at', 'updated_by'] || tg_argv[1:];
    mode    text;
begin
    if tg_op = 'INSERT' then
        if new.approval_status is distinct from 'draft' or new.last_approver_id is not null
           or new.last_approved_at is not null or new.approval_instance_id is not null then
            raise exception using errcode = 'insufficient_privilege', message = 'approval_state_by_engine',
                                  constraint = 'approval_state_by_engine';
        end if;
        return new;
    end if;
    if tg_op = 'DELETE' then
        if old.approval_status in ('pending', 'approved') then
            raise exception using errcode = 'check_violation', message = 'approval_document_frozen',
                                  constraint = 'approval_document_frozen';
        end if;
        return old;
    end if;
    if not engine and (new.approval_status is distinct from old.approval_status
                       or new.last_approver_id is distinct from old.last_approver_id
                       or new.last_approved_at is distinct from old.last_approved_at
                       or new.approval_instance_id is distinct from old.approval_instance_id) then
        raise exception using errcode = 'insufficient_privilege', message = 'approval_state_by_engine',
                              constraint = 'approval_state_by_engine';
    end if;
    if old.approval_status in ('pending', 'approved') and (to_jsonb(new) - skip) is distinct from (to_jsonb(old) - skip) then
        mode := (select after_approval from crm.approval_document_type where code = tg_argv[0]);
        if old.approval_status = 'approved' and mode = 'reset' and not engine then
            new.approval_status := 'draft';
            new.last_approver_id := null;
            new.last_approved_at := null;
        else
            raise exception using errcode = 'check_violation', message = 'approval_document_frozen',
                                  constraint = 'approval_document_frozen';
        end if;
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_guard_lines()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- on a document's line table (arguments: the document type, the column naming the document):
-- lines are content, frozen with their document.  The document row is share-locked, so a line
-- edit and a submit of the same document queue behind each other.
declare
    t      crm.approval_document_type := crm.approval_type(tg_argv[0]);
    parent bigint;
    status text;
begin
    foreach parent in array array[(to_jsonb(old) ->> tg_argv[1])::bigint, (to_jsonb(new) ->> tg_argv[1])::bigint] loop
        continue when parent is null;
        execute format('select approval_status from %s where id = $1 for share', t.table_name) into status using parent;
        if status in ('pending', 'approved') then
            raise exception using errcode = 'check_violation', message = 'approval_document_frozen',
                                  constraint = 'approval_document_frozen';
        end if;
    end loop;
    return case when tg_op = 'DELETE' then old else new end;
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_history_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    raise exception using errcode = 'insufficient_privilege', message = 'approval_history_append_only',
                          constraint = 'approval_history_append_only';
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_instance_visible(p_instance bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select coalesce((select i.submitter_id = crm.customer_viewer()
                            or exists (select from crm.approval_task t where t.instance_id = i.id
                                        and (t.approver_id = any (crm.approval_acting_for())
                                             or t.decided_by = crm.customer_viewer()))
                            or crm.approval_document_visible(i.document_type, i.document_id)
                       from crm.approval_instance i where i.id = p_instance), false)
$function$;
grant execute on function crm.approval_instance_visible(bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_is_participant(p_type text, p_document bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    -- the submitter of one of the document's instances, or an approver (delegate) of one of its tasks
    select exists (select from crm.approval_instance i
                    where i.document_type = p_type and i.document_id = p_document
                      and (i.submitter_id = crm.customer_viewer()
                           or exists (select from crm.approval_task t where t.instance_id = i.id
                                       and (t.approver_id = any (crm.approval_acting_for())
                                            or t.decided_by = crm.customer_viewer()))))
$function$;
grant execute on function crm.approval_is_participant(text,bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_leaders(p_account bigint, p_levels integer)
 RETURNS bigint[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- the active holders of the position p_levels up the chart from p_account's main position; an
-- empty level falls back to the next one up.  Empty when the chart ends first.
declare
    pos     bigint;
    holders bigint[];
    seen    bigint[] := '{}';
begin
    select ap.position_id into pos from crm.account_position ap where ap.account_id = p_account and ap.is_main;
    for i in 1 .. p_levels loop
        exit when pos is null;
        seen := seen || pos;
        pos := crm.approval_superior_position(pos);
    end loop;
    while pos is not null and not pos = any (seen) loop
        select array_agg(ap.account_id order by ap.account_id) into holders from crm.account_position ap
         where ap.position_id = pos and ap.account_id <> p_account and crm.approval_account_active(ap.account_id);
        if holders is not null then
            return holders;
        end if;
        seen := seen || pos;
        pos := crm.approval_superior_position(pos);
    end loop;
    return '{}';
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_lock_task(p_task bigint, OUT i crm.approval_instance, OUT k crm.approval_task, OUT acting_for bigint)
 RETURNS record
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- the instance row first (every decision on it queues there: a double click or two 会签
-- approvers at once are decided one after the other), then checks that the caller may decide it
declare
    me bigint := crm.customer_viewer();
begin
    select * into i from crm.approval_instance
     where id = (select instance_id from crm.approval_task where id = p_task) for update;
    select * into k from crm.approval_task where id = p_task;
    if me is null or k.id is null
       or not (k.approver_id = any (crm.approval_acting_for())) then
        raise exception using errcode = 'insufficient_privilege', message = 'approval_not_your_task',
                              constraint = 'approval_not_your_task';
    end if;
    if me = i.submitter_id or me is not distinct from i.owner_id then
        raise exception using errcode = 'insufficient_privilege', message = 'approval_own_document',
                              constraint = 'approval_own_document';
    end if;
    if i.status <> 'pending' or k.status <> 'open' or k.step_no is distinct from i.current_step then
        raise exception using errcode = 'check_violation', message = 'approval_task_not_active',
                              constraint = 'approval_task_not_active';
    end if;
    if exists (select from crm.approval_task o where o.instance_id = i.id and o.step_no = k.step_no
                and o.decided_by = me and o.id <> k.id and o.status in ('approved', 'rejected')) then
        raise exception using errcode = 'check_violation', message = 'approval_already_decided',
                              constraint = 'approval_already_decided';
    end if;
    acting_for := case when k.approver_id = me then null else k.approver_id end;
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_log(p_instance bigint, p_action text, p_step integer, p_comment text DEFAULT ''::text, p_detail jsonb DEFAULT '{}'::jsonb, p_on_behalf_of bigint DEFAULT NULL::bigint)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    insert into crm.approval_event (instance_id, actor_id, on_behalf_of, action, step_no, comment, detail)
    values (p_instance, crm.current_account(), p_on_behalf_of, p_action, p_step, coalesce(p_comment, ''),
            coalesce(p_detail, '{}'))
$function$;

CREATE OR REPLACE FUNCTION crm.approval_my_open_task_count()
 RETURNS bigint
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select count(*) from crm.approval_task where status = 'open' and approver_id = any (crm.approval_acting_for())
$function$;
grant execute on function crm.approval_my_open_task_count() to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_reassign(p_task bigint, p_to bigint, p_reason text)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    i   crm.approval_instance;
    k   crm.approval_task;
    new_task bigint;
begin
    select * into i from crm.approval_instance
     where id = (select instance_id from crm.approval_task where id = p_task) for update;
    select * into k from crm.approval_task where id = p_task;
    perform crm.approval_require_reassigner(i, p_to, p_reason);
    if k.status <> 'open' or k.step_no is distinct from i.current_step then
        raise exception using errcode = 'check_violation', message = 'approval_task_not_active',
                              constraint = 'approval_task_not_active';
    end if;
    update crm.approval_task set status = 'reassigned', decided_by = crm.current_account(), decided_at = now(),
           comment = p_reason where id = p_task;
    insert into crm.approval_task (instance_id, step_no, step_name, approver_id)
    values (i.id, k.step_no, k.step_name, p_to) returning id into new_task;
    perform crm.approval_log(i.id, 'reassign', k.step_no, p_reason,
                             jsonb_build_object('from', k.approver_id, 'to', p_to, 'task', new_task));
    return new_task;
end
$function$;
grant execute on function crm.approval_reassign(bigint,bigint,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_reject(p_task bigint, p_reason text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    l record;
    i crm.approval_instance;
    k crm.approval_task;
    t crm.approval_document_type;
begin
    if btrim(coalesce(p_reason, '')) = '' then
        raise exception using errcode = 'check_violation', message = 'approval_reason_required',
                              constraint = 'approval_reason_required';
    end if;
    l := crm.approval_lock_task(p_task);
    i := l.i;
    k := l.k;
    t := crm.approval_type(i.document_type);
    update crm.approval_task set status = 'rejected', decided_by = crm.current_account(), decided_at = now(),
           comment = p_reason where id = p_task;
    update crm.approval_task set status = 'cancelled' where instance_id = i.id and status = 'open';
    update crm.approval_instance set status = 'rejected', current_step = null, stalled = false,
           finished_at = now() where id = i.id;
    perform crm.approval_log(i.id, 'reject', k.step_no, p_reason, '{}', l.acting_for);
    perform crm.approval_log(i.id, 'rejected', k.step_no);
    perform crm.approval_set_document(t, i.document_id, 'rejected', crm.current_account(), now(), i.id);
end
$function$;
grant execute on function crm.approval_reject(bigint,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_require_reassigner(p_instance crm.approval_instance, p_to bigint, p_reason text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if not crm.has_permission('approval.reassign') or crm.customer_viewer() is null then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'approval.reassign', constraint = 'permission_denied';
    end if;
    if btrim(coalesce(p_reason, '')) = '' then
        raise exception using errcode = 'check_violation', message = 'approval_reason_required',
                              constraint = 'approval_reason_required';
    end if;
    if p_instance.status is distinct from 'pending' then
        raise exception using errcode = 'check_violation', message = 'approval_task_not_active',
                              constraint = 'approval_task_not_active';
    end if;
    if p_to = p_instance.submitter_id or p_to is not distinct from p_instance.owner_id then
        raise exception using errcode = 'check_violation', message = 'approval_own_document',
                              constraint = 'approval_own_document';
    end if;
    if not crm.approval_account_active(p_to) then
        raise exception using errcode = 'check_violation', message = 'approval_approver_inactive',
                              constraint = 'approval_approver_inactive';
    end if;
    if exists (select from crm.approval_task k where k.instance_id = p_instance.id
                and k.step_no = p_instance.current_step and k.approver_id = p_to
                and k.status in ('open', 'approved')) then
        raise exception using errcode = 'check_violation', message = 'approval_already_approver',
                              constraint = 'approval_already_approver';
    end if;
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_resolve(p_step crm.approval_flow_step, p_submitter bigint, p_owner bigint)
 RETURNS bigint[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- who decides the step, frozen when it becomes active: active accounts only, never the submitter
-- or the document's handler.  A step whose only approver is one of them goes to the submitter's
-- leader instead.
declare
    named bigint[];
    result bigint[];
begin
    if p_step.approver_kind = 'account' then
        named := p_step.approver_ids;
    elsif p_step.approver_kind = 'role' then
        named := array(select distinct ar.account_id from crm.account_role ar where ar.role_id = any (p_step.approver_ids));
    elsif p_step.approver_kind = 'position' then
        named := array(select distinct ap.account_id from crm.account_position ap
                        where ap.position_id = any (p_step.approver_ids));
    else
        named := crm.approval_leaders(p_submitter, p_step.leader_levels);
    end if;
    result := array(select distinct x from unnest(named) x
                     where crm.approval_account_active(x) and x <> p_submitter and x is distinct from p_owner
                     order by x);
    if cardinality(result) = 0 and (p_submitter = any (named) or p_owner = any (named)) then
        result := array(select x from unnest(crm.approval_leaders(p_submitter, 1)) x
                         where x is distinct from p_owner order by x);
    end if;
    return result;
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_set_delegation(p_delegate bigint, p_starts date, p_ends date, p_reason text DEFAULT ''::text)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- an approver on leave names a delegate for a date range (for themselves only)
declare
    me bigint := crm.customer_viewer();
    id_ bigint;
begin
    if me is null then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              constraint = 'permission_denied';
    end if;
    if p_delegate = me or not crm.approval_account_active(p_delegate) then
        raise exception using errcode = 'check_violation', message = 'approval_delegate_invalid',
                              constraint = 'approval_delegate_invalid';
    end if;
    if p_starts is null or p_ends is null or p_ends < p_starts then
        raise exception using errcode = 'check_violation', message = 'approval_delegation_dates',
                              constraint = 'approval_delegation_dates';
    end if;
    insert into crm.approval_delegation (account_id, delegate_id, starts_on, ends_on, reason)
    values (me, p_delegate, p_starts, p_ends, coalesce(p_reason, '')) returning id into id_;
    return id_;
end
$function$;
grant execute on function crm.approval_set_delegation(bigint,date,date,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_set_document(p_type crm.approval_document_type, p_document bigint, p_status text, p_actor bigint, p_at timestamp with time zone, p_instance bigint)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    perform crm.approval_engine_writes(true);
    execute format('update %s set approval_status = $1, last_approver_id = $2, last_approved_at = $3,
                    approval_instance_id = $4 where id = $5', p_type.table_name)
      using p_status, p_actor, p_at, p_instance, p_document;
    perform crm.approval_engine_writes(false);
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_start_step(p_instance bigint, p_step integer)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- makes step p_step active: its approvers are resolved now and frozen as tasks.  Past the last
-- step the instance is approved.  Too few approvers: the instance waits (stalled) and the
-- administrators are told — never an automatic pass.
declare
    i         crm.approval_instance;
    s         crm.approval_flow_step;
    t         crm.approval_document_type;
    approvers bigint[];
    need      integer;
begin
    select * into i from crm.approval_instance where id = p_instance;
    select * into s from crm.approval_flow_step where flow_version_id = i.flow_version_id and step_no = p_step;
    if not found then
        t := crm.approval_type(i.document_type);
        update crm.approval_instance set status = 'approved', current_step = null, required = null,
               stalled = false, finished_at = now() where id = p_instance;
        perform crm.approval_log(p_instance, 'approved', null);
        perform crm.approval_set_document(t, i.document_id, 'approved', crm.current_account(), now(), p_instance);
        return;
    end if;
    approvers := crm.approval_resolve(s, i.submitter_id, i.owner_id);
    need := case s.mode when 'any' then 1 when 'all' then cardinality(approvers) else s.k end;
    insert into crm.approval_task (instance_id, step_no, step_name, approver_id)
    select p_instance, s.step_no, s.name, a from unnest(approvers) a order by a;
    update crm.approval_instance
       set current_step = s.step_no, required = greatest(need, 1),
           stalled = cardinality(approvers) = 0 or cardinality(approvers) < need
     where id = p_instance;
    perform crm.approval_log(p_instance, 'step_started', s.step_no, '',
                             jsonb_build_object('approvers', to_jsonb(approvers), 'mode', s.mode, 'required', need));
    if cardinality(approvers) = 0 or cardinality(approvers) < need then
        perform crm.approval_log(p_instance, 'step_stalled', s.step_no, '',
                                 jsonb_build_object('approvers', to_jsonb(approvers), 'required', greatest(need, 1)));
        perform pg_notify('crm_changes', json_build_object('table', 'approval_stalled', 'op', 'insert',
                                                           'id', p_instance)::text);
    end if;
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_submit(p_type text, p_document bigint, p_flow bigint DEFAULT NULL::bigint, p_comment text DEFAULT ''::text)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    t       crm.approval_document_type := crm.approval_type(p_type);
    me      bigint := crm.customer_viewer();
    status  text;
    owner   bigint;
    ok      boolean;
    facts   jsonb;
    print   text;
    fv      crm.approval_flow_version;
    inst    bigint;
begin
    if me is null then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              constraint = 'permission_denied';
    end if;
    execute format('select %s($1)', t.submit_fn) into ok using p_document;
    if not coalesce(ok, false) then
        raise exception using errcode = 'insufficient_privilege', message = 'approval_submit_not_allowed',
                              constraint = 'approval_submit_not_allowed';
    end if;
    -- the row lock: a second submit, an edit of the content and a decision all queue here
    execute format('select approval_status, %I from %s where id = $1 for update', t.owner_column, t.table_name)
       into status, owner using p_document;
    if status is null then
        raise exception using errcode = 'no_data_found', message = 'approval_document_missing',
                              constraint = 'approval_document_missing';
    elsif status not in ('draft', 'rejected') then
        raise exception using errcode = 'check_violation', message = 'approval_already_submitted',
                              constraint = 'approval_already_submitted';
    end if;
    execute format('select %s($1)', t.facts_fn) into facts using p_document;
    execute format('select %s($1)', t.fingerprint_fn) into print using p_document;
    if p_flow is not null then
        select v.* into fv from crm.approval_flow f
          join crm.approval_flow_version v on v.flow_id = f.id and v.number = f.current_version
         where f.id = p_flow and f.document_type = p_type and f.active;
        if not found then
            raise exception using errcode = 'invalid_parameter_value', message = 'approval_flow_unknown',
                                  constraint = 'approval_flow_unknown';
        end if;
        if not crm.approval_conditions_met(fv.conditions, fv.condition_match, facts) then
            raise exception using errcode = 'check_violation', message = 'approval_flow_condition_not_met',
                                  constraint = 'approval_flow_condition_not_met';
        end if;
    else
        select v.* into fv from crm.approval_flow f
          join crm.approval_flow_version v on v.flow_id = f.id and v.number = f.current_version
         where f.document_type = p_type and f.active
           and crm.approval_conditions_met(v.conditions, v.condition_match, facts)
         order by f.priority, f.id limit 1;
    end if;
    if fv.id is null then
        if t.requires_flow then
            raise exception using errcode = 'check_violation', message = 'approval_flow_required',
                                  constraint = 'approval_flow_required';
        end if;
    end if;
    insert into crm.approval_instance (document_type, document_id, flow_version_id, submitter_id, owner_id,
                                       fingerprint, facts)
    values (p_type, p_document, fv.id, me, owner, print, coalesce(facts, '{}'))
    returning id into inst;
    perform crm.approval_log(inst, 'submit', null, p_comment, jsonb_build_object('flow_version', fv.id, 'facts', facts));
    perform crm.approval_set_document(t, p_document, 'pending', null, null, inst);
    if fv.id is null then
        -- the type needs no flow and none applies: approved as submitted (recorded)
        update crm.approval_instance set status = 'approved', finished_at = now() where id = inst;
        perform crm.approval_log(inst, 'approved', null, '', '{"without_flow": true}');
        perform crm.approval_set_document(t, p_document, 'approved', null, now(), inst);
    else
        perform crm.approval_start_step(inst, 1);
    end if;
    return inst;
end
$function$;
grant execute on function crm.approval_submit(text,bigint,bigint,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.approval_superior_position(p_position bigint)
 RETURNS bigint
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    -- the 上级职位 where one is set; else the manager position of the position's own department
    -- (for a member), or of the nearest department above with one (for a manager)
    select coalesce(p.superior_id,
                    (select m.id from crm.department_closure dc
                       join crm.position m on m.department_id = dc.ancestor_id and m.is_manager and m.id <> p.id
                      where dc.descendant_id = p.department_id and (dc.depth > 0 or not p.is_manager)
                      order by dc.depth limit 1))
      from crm.position p where p.id = p_position
$function$;

CREATE OR REPLACE FUNCTION crm.approval_type(p_type text)
 RETURNS crm.approval_document_type
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    t crm.approval_document_type;
begin
    select * into t from crm.approval_document_type where code = p_type;
    if not found then
        raise exception using errcode = 'invalid_parameter_value', message = 'approval_type_unknown',
                              constraint = 'approval_type_unknown';
    end if;
    return t;
end
$function$;

CREATE OR REPLACE FUNCTION crm.approval_withdraw(p_instance bigint, p_reason text DEFAULT ''::text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    i crm.approval_instance;
    t crm.approval_document_type;
begin
    select * into i from crm.approval_instance where id = p_instance for update;
    if not found or i.submitter_id is distinct from crm.customer_viewer() then
        raise exception using errcode = 'insufficient_privilege', message = 'approval_withdraw_not_submitter',
                              constraint = 'approval_withdraw_not_submitter';
    end if;
    if i.status <> 'pending' or exists (select from crm.approval_task k where k.instance_id = i.id
                                          and k.status in ('approved', 'rejected')) then
        raise exception using errcode = 'check_violation', message = 'approval_withdraw_too_late',
                              constraint = 'approval_withdraw_too_late';
    end if;
    t := crm.approval_type(i.document_type);
    update crm.approval_task set status = 'cancelled' where instance_id = i.id and status = 'open';
    update crm.approval_instance set status = 'withdrawn', current_step = null, stalled = false,
           finished_at = now() where id = i.id;
    perform crm.approval_log(i.id, 'withdraw', i.current_step, p_reason);
    perform crm.approval_set_document(t, i.document_id, 'draft', null, null, i.id);
end
$function$;
grant execute on function crm.approval_withdraw(bigint,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.save_approval_flow(p_id bigint, p_version integer, p_document_type text, p_name text, p_active boolean, p_priority integer, p_conditions jsonb, p_match text, p_steps jsonb)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- a flow is never changed in place: saving adds a version with its own steps, and instances keep
-- the version they started with.  p_version is the flow's row version the editor read.
declare
    t      crm.approval_document_type := crm.approval_type(p_document_type);
    f      crm.approval_flow;
    number integer;
    v_id   bigint;
    s      jsonb;
    c      jsonb;
    n      integer := 0;
begin
    if not crm.has_permission('approval.flow') or crm.customer_viewer() is null then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'approval.flow', constraint = 'permission_denied';
    end if;
    if jsonb_typeof(p_steps) is distinct from 'array' or jsonb_array_length(p_steps) = 0 then
        raise exception using errcode = 'check_violation', message = 'approval_flow_needs_steps',
                              constraint = 'approval_flow_needs_steps';
    end if;
    for c in select * from jsonb_array_elements(coalesce(p_conditions, '[]')) loop
        if not exists (select from jsonb_array_elements(t.facts) e where e ->> 'key' = c ->> 'fact')
           or coalesce(c ->> 'op', '') not in ('>', '>=', '<', '<=', '=', '<>')
           or coalesce(c ->> 'value', '') !~ '^-?[0-9]{1,15}(\.[0-9]{1,6})?$' then
            raise exception using errcode = 'check_violation', message = 'approval_condition_invalid',
                                  detail = c::text, constraint = 'approval_condition_invalid';
        end if;
    end loop;
    if p_id is null then
        insert into crm.approval_flow (document_type, name, active, priority)
        values (p_document_type, p_name, coalesce(p_active, true), coalesce(p_priority, 100)) returning * into f;
        number := 1;
    else
        select * into f from crm.approval_flow where id = p_id for update;
        if not found or f.document_type <> p_document_type then
            raise exception using errcode = 'no_data_found', message = 'approval_flow_unknown',
                                  constraint = 'approval_flow_unknown';
        end if;
        if f.version is distinct from p_version then
            raise exception using errcode = 'serialization_failure', message = 'concurrent_change',
                                  constraint = 'concurrent_change';
        end if;
        number := f.current_version + 1;
        update crm.approval_flow set name = p_name, active = coalesce(p_active, true),
               priority = coalesce(p_priority, 100), current_version = number where id = f.id;
    end if;
    insert into crm.approval_flow_version (flow_id, number, conditions, condition_match)
    values (f.id, number, coalesce(p_conditions, '[]'), coalesce(p_match, 'all')) returning id into v_id;
    for s in select * from jsonb_array_elements(p_steps) loop
        n := n + 1;
        insert into crm.approval_flow_step (flow_version_id, step_no, name, approver_kind, approver_ids,
                                            leader_levels, mode, k)
        values (v_id, n, coalesce(s ->> 'name', ''), s ->> 'approver_kind',
                coalesce(array(select jsonb_array_elements_text(coalesce(s -> 'approver_ids', '[]'))::bigint), '{}'),
                coalesce((s ->> 'leader_levels')::integer, 1), coalesce(s ->> 'mode', 'any'),
                (s ->> 'k')::integer);
    end loop;
    return f.id;
end
$function$;
grant execute on function crm.save_approval_flow(bigint,integer,text,text,boolean,integer,jsonb,text,jsonb) to crm_user;

drop policy if exists "accounts without a role see and change nothing" on crm.approval_delegation;
create policy "accounts without a role see and change nothing" on crm.approval_delegation as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "delegators, delegates and reassigners see delegations" on crm.approval_delegation;
create policy "delegators, delegates and reassigners see delegations" on crm.approval_delegation as permissive for select to crm_user
    using (((account_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR (delegate_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR ( SELECT crm.has_permission('approval.reassign'::text) AS has_permission)));

drop policy if exists "accounts without a role see and change nothing" on crm.approval_document_type;
create policy "accounts without a role see and change nothing" on crm.approval_document_type as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the document types" on crm.approval_document_type;
create policy "every account reads the document types" on crm.approval_document_type as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.approval_event;
create policy "accounts without a role see and change nothing" on crm.approval_event as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "participants and whoever sees the document read its history" on crm.approval_event;
create policy "participants and whoever sees the document read its history" on crm.approval_event as permissive for select to crm_user
    using (crm.approval_instance_visible(instance_id));

drop policy if exists "accounts without a role see and change nothing" on crm.approval_flow;
create policy "accounts without a role see and change nothing" on crm.approval_flow as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the flows" on crm.approval_flow;
create policy "every account reads the flows" on crm.approval_flow as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.approval_flow_step;
create policy "accounts without a role see and change nothing" on crm.approval_flow_step as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the flow steps" on crm.approval_flow_step;
create policy "every account reads the flow steps" on crm.approval_flow_step as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.approval_flow_version;
create policy "accounts without a role see and change nothing" on crm.approval_flow_version as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the flow versions" on crm.approval_flow_version;
create policy "every account reads the flow versions" on crm.approval_flow_version as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.approval_instance;
create policy "accounts without a role see and change nothing" on crm.approval_instance as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "participants and whoever sees the document see the approval" on crm.approval_instance;
create policy "participants and whoever sees the document see the approval" on crm.approval_instance as permissive for select to crm_user
    using (((submitter_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR (EXISTS ( SELECT
   FROM crm.approval_task t
  WHERE ((t.instance_id = approval_instance.id) AND (t.approver_id = ANY (( SELECT crm.approval_acting_for() AS approval_acting_for)::bigint[]))))) OR crm.approval_instance_visible(id)));

drop policy if exists "accounts without a role see and change nothing" on crm.approval_task;
create policy "accounts without a role see and change nothing" on crm.approval_task as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "approvers, delegates, participants and the document's viewers" on crm.approval_task;
create policy "approvers, delegates, participants and the document's viewers" on crm.approval_task as permissive for select to crm_user
    using (((approver_id = ANY (( SELECT crm.approval_acting_for() AS approval_acting_for)::bigint[])) OR (decided_by = ( SELECT crm.customer_viewer() AS customer_viewer)) OR crm.approval_instance_visible(instance_id)));

drop trigger if exists approval_delegation_audit on crm.approval_delegation;
CREATE TRIGGER approval_delegation_audit AFTER UPDATE ON crm.approval_delegation FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists approval_delegation_audit_insert on crm.approval_delegation;
CREATE TRIGGER approval_delegation_audit_insert AFTER INSERT ON crm.approval_delegation REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists approval_delegation_notify on crm.approval_delegation;
CREATE TRIGGER approval_delegation_notify AFTER INSERT OR UPDATE ON crm.approval_delegation FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists approval_delegation_stamp_new_row on crm.approval_delegation;
CREATE TRIGGER approval_delegation_stamp_new_row BEFORE INSERT ON crm.approval_delegation FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'created_by');

drop trigger if exists approval_event_append_only on crm.approval_event;
CREATE TRIGGER approval_event_append_only BEFORE DELETE OR UPDATE ON crm.approval_event FOR EACH ROW EXECUTE FUNCTION crm.approval_history_append_only();

drop trigger if exists approval_event_append_only_truncate on crm.approval_event;
CREATE TRIGGER approval_event_append_only_truncate BEFORE TRUNCATE ON crm.approval_event FOR EACH STATEMENT EXECUTE FUNCTION crm.approval_history_append_only();

drop trigger if exists approval_event_audit_insert on crm.approval_event;
CREATE TRIGGER approval_event_audit_insert AFTER INSERT ON crm.approval_event REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists approval_event_notify on crm.approval_event;
CREATE TRIGGER approval_event_notify AFTER INSERT ON crm.approval_event FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists approval_flow_audit on crm.approval_flow;
CREATE TRIGGER approval_flow_audit AFTER UPDATE ON crm.approval_flow FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists approval_flow_audit_insert on crm.approval_flow;
CREATE TRIGGER approval_flow_audit_insert AFTER INSERT ON crm.approval_flow REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists approval_flow_notify on crm.approval_flow;
CREATE TRIGGER approval_flow_notify AFTER INSERT OR UPDATE ON crm.approval_flow FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists approval_flow_stamp_new_row on crm.approval_flow;
CREATE TRIGGER approval_flow_stamp_new_row BEFORE INSERT ON crm.approval_flow FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists approval_flow_version on crm.approval_flow;
CREATE TRIGGER approval_flow_version BEFORE UPDATE ON crm.approval_flow FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists approval_flow_step_append_only on crm.approval_flow_step;
CREATE TRIGGER approval_flow_step_append_only BEFORE DELETE OR UPDATE ON crm.approval_flow_step FOR EACH ROW EXECUTE FUNCTION crm.approval_history_append_only();

drop trigger if exists approval_flow_step_audit_insert on crm.approval_flow_step;
CREATE TRIGGER approval_flow_step_audit_insert AFTER INSERT ON crm.approval_flow_step REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists approval_flow_version_append_only on crm.approval_flow_version;
CREATE TRIGGER approval_flow_version_append_only BEFORE DELETE OR UPDATE ON crm.approval_flow_version FOR EACH ROW EXECUTE FUNCTION crm.approval_history_append_only();

drop trigger if exists approval_flow_version_audit_insert on crm.approval_flow_version;
CREATE TRIGGER approval_flow_version_audit_insert AFTER INSERT ON crm.approval_flow_version REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists approval_flow_version_stamp_new_row on crm.approval_flow_version;
CREATE TRIGGER approval_flow_version_stamp_new_row BEFORE INSERT ON crm.approval_flow_version FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'created_by');

drop trigger if exists approval_instance_audit on crm.approval_instance;
CREATE TRIGGER approval_instance_audit AFTER UPDATE ON crm.approval_instance FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists approval_instance_audit_insert on crm.approval_instance;
CREATE TRIGGER approval_instance_audit_insert AFTER INSERT ON crm.approval_instance REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists approval_instance_no_delete on crm.approval_instance;
CREATE TRIGGER approval_instance_no_delete BEFORE DELETE ON crm.approval_instance FOR EACH ROW EXECUTE FUNCTION crm.approval_history_append_only();

drop trigger if exists approval_instance_notify on crm.approval_instance;
CREATE TRIGGER approval_instance_notify AFTER INSERT OR UPDATE ON crm.approval_instance FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists approval_task_audit on crm.approval_task;
CREATE TRIGGER approval_task_audit AFTER UPDATE ON crm.approval_task FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists approval_task_audit_insert on crm.approval_task;
CREATE TRIGGER approval_task_audit_insert AFTER INSERT ON crm.approval_task REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists approval_task_no_delete on crm.approval_task;
CREATE TRIGGER approval_task_no_delete BEFORE DELETE ON crm.approval_task FOR EACH ROW EXECUTE FUNCTION crm.approval_history_append_only();

drop trigger if exists approval_task_notify on crm.approval_task;
CREATE TRIGGER approval_task_notify AFTER INSERT OR UPDATE ON crm.approval_task FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists approval_task_stamp_new_row on crm.approval_task;
CREATE TRIGGER approval_task_stamp_new_row BEFORE INSERT ON crm.approval_task FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at');

call crm_meta.finish_migration();
