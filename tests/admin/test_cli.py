"""crm-admin as an administrator runs it: a real process, a real server."""

import subprocess
import sys

import psycopg
import pytest


def crm_admin(*args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "crm_desktop.admin.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=180)
    if check and proc.returncode != 0:
        raise AssertionError(f"crm-admin {' '.join(args)} failed: {proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("cli") / "srv"
    started = crm_admin("server", "start", "--data", str(data))
    url = started.stdout.strip().splitlines()[-1]
    yield data, url
    crm_admin("server", "stop", "--data", str(data), check=False)


def test_server_start_prints_the_superuser_url_last_and_status_reports_it(server):
    data, url = server
    assert url.startswith("postgresql://postgres:")
    with psycopg.connect(url) as conn:
        assert conn.execute("select current_database()").fetchone() == ("crm",)
        assert conn.execute("select count(*) from crm.permission").fetchone()[0] > 50
    status = crm_admin("server", "status", "--data", str(data))
    assert "running" in status.stdout and status.stdout.strip().splitlines()[-1] == url
    # starting again is harmless and keeps the same address
    assert crm_admin("server", "start", "--data", str(data)).stdout.strip().splitlines()[-1] == url


def test_the_embedded_server_refuses_a_wrong_superuser_password(server):
    _data, url = server
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url.replace("postgres:", "postgres:x", 1)).close()


def test_migrate_twice_changes_nothing(server):
    _data, url = server
    assert "up to date" in crm_admin("migrate", "--db", url).stdout


def test_seed_demo_is_deterministic_and_idempotent(server):
    _data, url = server
    crm_admin("seed-demo", "--db", url)
    with psycopg.connect(url) as conn:
        first = conn.execute("select login, name, status, locked from crm.account order by login").fetchall()
    crm_admin("seed-demo", "--db", url)
    with psycopg.connect(url) as conn:
        assert conn.execute("select login, name, status, locked from crm.account order by login").fetchall() == first
        statuses = {row[2] for row in first} | {"locked" for row in first if row[3]}
    assert {"active", "resigned", "retired", "locked"} <= statuses
    assert len(first) >= 30


def test_account_commands(server):
    _data, url = server
    address = dict(psycopg.conninfo.conninfo_to_dict(url))
    crm_admin("account", "create", "wangwu", "--name", "王五", "--role", "user", "--db", url,
              "--password-stdin", stdin="first-pass\n")

    def connect(password):
        return psycopg.connect(**{**address, "user": "wangwu", "password": password})

    connect("first-pass").close()
    crm_admin("account", "lock", "wangwu", "--db", url)
    with pytest.raises(psycopg.OperationalError):
        connect("first-pass")
    crm_admin("account", "unlock", "wangwu", "--db", url)
    crm_admin("account", "set-status", "wangwu", "resigned", "--db", url)
    with pytest.raises(psycopg.OperationalError):
        connect("first-pass")
    crm_admin("account", "set-status", "wangwu", "active", "--db", url)
    crm_admin("account", "set-expiry", "wangwu", "2001-01-01", "--db", url)
    with pytest.raises(psycopg.OperationalError):
        connect("first-pass")
    crm_admin("account", "set-expiry", "wangwu", "none", "--db", url)
    crm_admin("account", "set-password", "wangwu", "--db", url, "--password-stdin", stdin="second-pass\n")
    connect("second-pass").close()
    listing = crm_admin("account", "list", "--db", url).stdout
    assert "wangwu" in listing and "王五" in listing and "普通用户" in listing


def test_bad_input_is_a_sentence_not_a_traceback(server):
    _data, url = server
    # an account of its own to duplicate: not the one another test of this file creates (random order)
    crm_admin("account", "create", "zhaosan", "--db", url, "--password-stdin", stdin="x-pass-1\n")
    dup = crm_admin("account", "create", "zhaosan", "--db", url, "--password-stdin", stdin="x-pass-1\n", check=False)
    assert dup.returncode == 2 and "Traceback" not in dup.stderr and "帐号已存在" in dup.stderr
    short = crm_admin("account", "create", "zhaoliu", "--db", url, "--password-stdin", stdin="abc\n", check=False)
    assert short.returncode == 2 and "密码至少需要" in short.stderr
    missing = crm_admin("account", "lock", "nobody", "--db", url, check=False)
    assert missing.returncode == 2 and "找不到该帐号" in missing.stderr
