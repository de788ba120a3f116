"""One place for each definition: ``server_schema/definitions/<domain>.sql``.

The numbered migrations keep the history of tables, columns, constraints and data.  The *current*
text of every function, procedure, policy and trigger lives in one definitions file per domain,
which ``migrate`` re-applies after the migrations whenever the file changed (its SHA-256 is kept in
``crm_meta.definition``), each file in one transaction ending with ``crm_meta.finish_migration()``.
So a reader who opens ``definitions/customers.sql`` reads the rule as it is, not the last of four
``create or replace`` in four migrations.

``dump`` writes the files from a migrated database (``crm-admin definitions dump``): a developer
changes a definition in its file; a migration that must change a signature drops the old object and
the definitions file creates the new one.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path

import psycopg

from crm_desktop.admin.migrate import schema_dir

# the order files are applied in: a later domain may use what an earlier one defines (a document's
# trigger calls the approval engine), never the other way round.  A migration after 0019 names the
# domain of its tables in a line ``-- definitions: <domain>``; a function first written in a
# definitions file stays in that file.
DOMAINS = ["meta", "foundation", "numbering", "customers", "products", "ukey", "sessions",
           "approval", "sales_documents", "followup", "printing", "operations"]

# the migration that first created an object names its domain
_MIGRATION_DOMAIN = {
    "0000": "meta", "0001": "foundation", "0002": "numbering", "0003": "customers", "0004": "products",
    "0005": "ukey", "0006": "customers", "0007": "customers", "0008": "customers", "0009": "foundation",
    "0010": "customers", "0011": "foundation", "0012": "customers", "0013": "meta", "0014": "customers",
    "0015": "foundation", "0016": "numbering", "0017": "foundation", "0018": "sessions",
}
# objects first written in a migration of mixed content
_NAME_DOMAIN = {
    "current_account": "foundation", "audit_row": "foundation", "audit_statement": "foundation",
    "bump_version": "foundation", "account_has_permission": "foundation", "has_permission": "foundation",
    "stamp_new_row": "foundation", "manager_position_one_holder": "foundation",
    "require_permission": "foundation",
}

HEADER = """-- {domain}: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.
"""


def definitions_dir() -> Path:
    return schema_dir() / "definitions"


def _first_migration(name: str, texts: list[tuple[str, str]]) -> str | None:
    pattern = re.compile(rf"(function|procedure|trigger|policy)\s+(crm\.|crm_meta\.)?\"?{re.escape(name)}\b",
                         re.IGNORECASE)
    for stem, text in texts:
        if pattern.search(text):
            return stem
    return None


def _migration_domain(stem: str | None, texts: list[tuple[str, str]]) -> str:
    """The domain of a migration: the table above, or for later ones their ``-- definitions: <domain>`` line."""
    if stem is None:
        return "customers"
    if stem[:4] in _MIGRATION_DOMAIN:
        return _MIGRATION_DOMAIN[stem[:4]]
    text = dict(texts).get(stem, "")
    declared = re.search(r"^--\s*definitions:\s*([a-z_]+)\s*$", text, re.MULTILINE)
    return declared.group(1) if declared else "customers"


def _defined_in(name: str, files: list[tuple[str, str]]) -> str | None:
    """The definitions file (of ``files``, read once per dump) that already defines function ``name``:
    a new function stays where it was written."""
    pattern = re.compile(rf"function\s+(crm|crm_meta)\.\"?{re.escape(name)}\"?\s*\(", re.IGNORECASE)
    return next((stem for stem, text in files if pattern.search(text)), None)


def _domain(name: str, texts: list[tuple[str, str]], files: list[tuple[str, str]]) -> str:
    if name in _NAME_DOMAIN:
        return _NAME_DOMAIN[name]
    stem = _first_migration(name, texts)
    if stem is None:
        return _defined_in(name, files) or "customers"
    return _migration_domain(stem, texts)


def _table_domain(table: str, texts: list[tuple[str, str]]) -> str:
    return _migration_domain(_first_migration_of_table(table, texts), texts)


def _first_migration_of_table(table: str, texts: list[tuple[str, str]]) -> str | None:
    # a migration that declares its domain owns the tables it creates, even when an older one
    # names them in a string (0002's numbering rule 'quote' is not the table crm.quote of 0023)
    created = re.compile(rf"create table crm\.{re.escape(table)}\b", re.IGNORECASE)
    for stem, text in texts:
        if stem[:4] not in _MIGRATION_DOMAIN and created.search(text):
            return stem
    pattern = re.compile(rf"(create table crm\.{re.escape(table)}\b|'{re.escape(table)}')", re.IGNORECASE)
    for stem, text in texts:
        if pattern.search(text):
            return stem
    return None


def dump(url: str) -> dict[str, str]:
    """The definitions files' text, by domain, as the database at ``url`` has them."""
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(schema_dir().glob("*.sql"))]
    folder = definitions_dir()
    files = [(p.stem, p.read_text(encoding="utf-8")) for p in (_ordered(folder) if folder.is_dir() else [])]
    parts: dict[str, list[str]] = defaultdict(list)
    with psycopg.connect(url) as conn:
        for name, schema, definition, signature, kind, granted in conn.execute("""
                select p.proname, n.nspname, pg_get_functiondef(p.oid), p.oid::regprocedure::text,
                       case p.prokind when 'p' then 'procedure' else 'function' end,
                       has_function_privilege('crm_user', p.oid, 'execute')
                         and exists (select from aclexplode(p.proacl) a
                                     where a.grantee = 'crm_user'::regrole and a.privilege_type = 'EXECUTE')
                  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                 where n.nspname in ('crm', 'crm_meta') and p.prokind in ('f', 'p')
                 order by n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)"""):
            domain = "meta" if schema == "crm_meta" else _domain(name, texts, files)
            text = definition.strip() + ";\n"
            if granted:
                text += f"grant execute on {kind} {signature} to crm_user;\n"
            parts[domain].append(text)
        for table, name, permissive, cmd, roles, qual, check in conn.execute("""
                select tablename, policyname, permissive, cmd, roles::text[], qual, with_check
                  from pg_policies where schemaname = 'crm' order by tablename, policyname"""):
            domain = _table_domain(table, texts)
            text = f'drop policy if exists "{name}" on crm.{table};\n'
            text += (f'create policy "{name}" on crm.{table} as {permissive.lower()} for {cmd.lower()} '
                     f'to {", ".join(roles)}')
            if qual is not None:
                text += f"\n    using ({qual})"
            if check is not None:
                text += f"\n    with check ({check})"
            parts[domain].append(text + ";\n")
        for table, name, definition in conn.execute("""
                select c.relname, t.tgname, pg_get_triggerdef(t.oid)
                  from pg_trigger t join pg_class c on c.oid = t.tgrelid
                  join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'crm' and not t.tgisinternal order by c.relname, t.tgname"""):
            domain = _table_domain(table, texts)
            parts[domain].append(f"drop trigger if exists {name} on crm.{table};\n{definition};\n")
    out = {}
    for domain in DOMAINS + sorted(set(parts) - set(DOMAINS)):
        if parts.get(domain):
            out[domain] = HEADER.format(domain=domain) + "\n" + "\n".join(parts[domain]) + \
                "\ncall crm_meta.finish_migration();\n"
    return out


def write(url: str, folder: Path | None = None) -> list[Path]:
    folder = folder or definitions_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for domain, text in dump(url).items():
        path = folder / f"{domain}.sql"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _ordered(folder: Path) -> list[Path]:
    files = {p.stem: p for p in folder.glob("*.sql")}
    return [files[d] for d in DOMAINS if d in files] + [files[d] for d in sorted(set(files) - set(DOMAINS))]


def apply(url: str, force: bool = False) -> list[str]:
    """Re-apply every definitions file that changed since it was last applied; returns their names."""
    folder = definitions_dir()
    if not folder.is_dir():
        return []
    applied = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("""create table if not exists crm_meta.definition (
                            file text primary key, sha256 text not null, applied_at timestamptz not null default now())""")
        done = dict(conn.execute("select file, sha256 from crm_meta.definition").fetchall())
        for path in _ordered(folder):
            text = path.read_text(encoding="utf-8")
            digest = hashlib.sha256(text.encode()).hexdigest()
            if not force and done.get(path.name) == digest:
                continue
            with conn.transaction():
                conn.execute(text)
                conn.execute("""insert into crm_meta.definition (file, sha256) values (%s, %s)
                                on conflict (file) do update set sha256 = excluded.sha256, applied_at = now()""",
                             (path.name, digest))
            applied.append(path.name)
    return applied
