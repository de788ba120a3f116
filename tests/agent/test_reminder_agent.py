"""The reminder agent against a real SMTP server on 127.0.0.1 (aiosmtpd: STARTTLS and login
required) and a local HTTP server as the SMS gateway: due reminders arrive once, two agents at
once send each once, an outage is retried with back-off and shown to the administrator, the
message is Chinese with the right customer and time; SIGTERM stops the agent cleanly."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import http.server
import ipaddress
import json
import signal
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from crm_desktop.agent.reminders import EmailReminderJob, SmsReminderJob
from crm_desktop.agent.runner import AgentRunner
from crm_desktop.services import customer as customers
from crm_desktop.services import followup
from crm_desktop.services import reminder_settings as rs

NOW = dt.datetime.now().astimezone().replace(second=0, microsecond=0)
LOGIN, PASSWORD = "crm-agent@office.example", "s3cret-mail"


def _certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    crt, pem = folder / "smtp.crt", folder / "smtp.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                      serialization.NoEncryption()))
    return crt, pem


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def about(self, customer: str) -> list[email.message.EmailMessage]:
        with self.lock:
            return [m for m in self.messages if customer in m["Subject"]]


@pytest.fixture(scope="module")
def smtp(tmp_path_factory):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    crt, key = _certificate(tmp_path_factory.mktemp("smtp"))
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(crt, key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.login == LOGIN.encode() and auth_data.password == PASSWORD.encode())

    import socket

    with socket.socket() as probe:  # aiosmtpd's controller needs a real port to check it started
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port, tls_context=tls, require_starttls=True,
                            authenticator=authenticate, auth_require_tls=True, auth_exclude_mechanism=["CRAM-MD5", "LOGIN"])
    controller.start()
    box.port = port
    box.trust = lambda: ssl.create_default_context(cafile=str(crt))
    yield box
    controller.stop()


@pytest.fixture(scope="module")
def gateway():
    received: list[tuple[dict, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
            received.append((body, self.headers.get("Authorization", "")))
            self.send_response(500 if body["to"] == "13000000500" else 200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, received
    server.shutdown()


@pytest.fixture
def configured(superuser_url, smtp, gateway, login):
    admin = login("admin")
    original = rs.get_settings(admin)
    rs.save_settings(admin, original, {
        "email_enabled": True, "smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_security": "starttls",
        "smtp_login": LOGIN, "sender": "crm@office.example", "sms_enabled": True,
        "sms_url": f"http://127.0.0.1:{gateway[0].server_port}/send", "max_attempts": 3, "retry_seconds": 1},
        smtp_password=PASSWORD, sms_token="gw-token")
    with psycopg.connect(superuser_url, autocommit=True) as su:
        su.execute("update crm.account set email = 'chenjing@office.example', mobile = '13900000004' "
                   "where login = 'chenjing'")
        # other tests' due reminders are not this test's: sent out of the way first
        su.execute("update crm.reminder_delivery set status = 'failed', last_error = 'not this test' "
                   "where status = 'pending'")
    return admin


def _plans(login, unique, count=1, minutes_ahead=10, **extra) -> tuple[str, list[int]]:
    rep = login("chenjing")
    name = f"提醒客户{unique}"
    cid = customers.create_customer(rep, {"name": name}, contacts=[{"name": "王经理", "mobile": "13911112222"}])["id"]
    contact = followup.contacts_of(rep, cid)[0][1]
    ids = [followup.plan_contact(rep, cid, {"planned_at": NOW + dt.timedelta(minutes=minutes_ahead + i),
                                            "subject": f"电话回访{i}", "contact_id": contact,
                                            "remind_email": True, "remind_minutes": 30, **extra})
           for i in range(count)]
    return name, ids


def test_a_due_reminder_arrives_once_in_chinese(configured, smtp, superuser_url, login, unique):
    name, [plan] = _plans(login, unique)
    job = EmailReminderJob(ssl_context=smtp.trust)
    assert job.run(superuser_url) == "1 sent, 0 failed"
    assert job.run(superuser_url) is None  # nothing due any more
    [message] = smtp.about(name)
    planned = (NOW + dt.timedelta(minutes=10)).strftime("%Y-%m-%d %H:%M")
    assert message["Subject"] == f"联系提醒：{name} {planned}"
    assert message["To"] == "chenjing@office.example"
    body = message.get_content()
    assert f"客户：{name}" in body and f"时间：{planned}" in body and "王经理 13911112222" in body
    assert "陈静，您好" in body and "电话回访0" in body
    with psycopg.connect(superuser_url) as su:
        assert su.execute("select status, recipient from crm.reminder_delivery where plan_id = %s and channel = 'email'",
                          (plan,)).fetchone() == ("sent", "chenjing@office.example")


def test_a_reminder_not_yet_due_waits(configured, smtp, superuser_url, login, unique):
    name, _ids = _plans(login, unique, minutes_ahead=120)
    EmailReminderJob(ssl_context=smtp.trust).run(superuser_url)
    assert smtp.about(name) == []


def test_two_agents_at_once_send_each_reminder_once(configured, smtp, superuser_url, login, unique):
    name, ids = _plans(login, unique, count=40, remind_minutes=120)
    jobs = [EmailReminderJob(ssl_context=smtp.trust) for _ in range(2)]
    results: list[str | None] = []
    threads = [threading.Thread(target=lambda j=j: results.append(j.run(superuser_url))) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    subjects = sorted(m.get_content().split("主题：")[1].splitlines()[0] for m in smtp.about(name))
    assert subjects == sorted(f"电话回访{i}" for i in range(40))
    assert sum(int(r.split()[0]) for r in results if r) == 40


def test_an_smtp_outage_is_retried_with_back_off_and_reported(configured, smtp, superuser_url, login, unique):
    admin = configured
    name, [plan] = _plans(login, unique)
    settings = rs.get_settings(admin)
    rs.save_settings(admin, settings, {"smtp_port": 1})  # nothing listens there
    job = EmailReminderJob(ssl_context=smtp.trust)
    runner = AgentRunner(superuser_url, [job], min_backoff=0.01)
    assert not runner.run_round(job)
    assert runner.state[job.name].failures == 1 and runner.state[job.name].next_delay == job.interval * 2
    with psycopg.connect(superuser_url) as su:
        status, attempts, error, later = su.execute(
            "select status, attempts, last_error, next_attempt_at > now() from crm.reminder_delivery "
            "where plan_id = %s and channel = 'email'", (plan,)).fetchone()
    assert (status, attempts, later) == ("pending", 1, True) and "Connection refused" in error
    for _ in range(2):  # the back-off passes (retry_seconds 1, then 2), the server is still down
        with psycopg.connect(superuser_url, autocommit=True) as su:
            su.execute("update crm.reminder_delivery set next_attempt_at = now() where plan_id = %s", (plan,))
        assert not runner.run_round(job)
    [failed] = [d for d in rs.deliveries(admin) if d["customer"] == name]
    assert (failed["attempts"], failed["follower"], failed["channel"]) == (3, "陈静", "email")
    assert rs.deliveries(login("chenjing")) == []  # not for ordinary accounts
    # the administrator mends the port and sends it again
    rs.save_settings(admin, rs.get_settings(admin), {"smtp_port": smtp.port})
    assert rs.retry_deliveries(admin, [failed["id"]]) == 1
    assert runner.run_round(job)
    assert len(smtp.about(name)) == 1


def test_sms_through_the_http_gateway(configured, gateway, superuser_url, login, unique):
    _server, received = gateway
    name, [plan] = _plans(login, unique, remind_email=False, remind_sms=True)
    assert SmsReminderJob().run(superuser_url) == "1 sent, 0 failed"
    [(body, auth)] = [(b, a) for b, a in received if name in b["text"]]
    planned = (NOW + dt.timedelta(minutes=10)).strftime("%Y-%m-%d %H:%M")
    assert body == {"to": "13900000004", "text": f"【CRM提醒】{planned} {name} 联系人王经理 电话 电话回访0"}
    assert auth == "Bearer gw-token"


def test_the_password_is_write_only_even_for_the_administrator(configured, raw_connect):
    conn = raw_connect("admin")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("select smtp_password from crm.reminder_setting")
    assert conn.execute("select smtp_password_set, sms_token_set from crm.reminder_setting").fetchone() == (True, True)
    rep = raw_connect("chenjing")
    assert rep.execute("select count(*) from crm.reminder_setting").fetchone()[0] == 0


class _Flaky:
    name, interval = "flaky", 0.05

    def __init__(self, failures):
        self.failures, self.calls = failures, 0

    def run(self, url):
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("down")
        return "ok"


def test_the_runner_backs_off_and_recovers():
    job = _Flaky(3)
    runner = AgentRunner("unused", [job], max_backoff=0.3, min_backoff=0.01)
    delays = []
    for _ in range(4):
        runner.run_round(job)
        delays.append(runner.state["flaky"].next_delay)
    assert delays == [0.1, 0.2, 0.3, 0.05]  # doubled, capped, back to the interval
    assert runner.state["flaky"].last_status == "ok"
    with pytest.raises(ValueError):
        AgentRunner("unused", [job, _Flaky(0)])  # two jobs of one name


def test_the_agent_stops_cleanly_on_sigterm(configured, superuser_url, tmp_path):
    log = tmp_path / "agent.log"
    proc = subprocess.Popen([sys.executable, "-m", "crm_desktop.admin.cli", "agent", "--db", superuser_url,
                             "--interval", "0.5", "--log", str(log)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "agent starting" not in (log.read_text() if log.exists() else ""):
            time.sleep(0.1)
        time.sleep(1.0)  # a round or two
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text(encoding="utf-8")
    assert "reminder-email every 0.5 s" in text and "SIGTERM: stopping" in text and "agent stopped" in text


def test_the_agent_runs_the_reminders_the_approval_reminders_and_the_scheduled_backup(superuser_url, tmp_path):
    from crm_desktop.admin.cli import agent_jobs, build_parser

    args = build_parser().parse_args(["agent", "--db", superuser_url, "--backup-to", str(tmp_path / "nas"),
                                      "--backup-keep", "2", "--backup-every", "12"])
    jobs = agent_jobs(args)
    assert [j.name for j in jobs][-2:] == ["approval-reminders", "backup"]
    backup_job = jobs[-1]
    assert backup_job.interval == 12 * 3600 and backup_job.keep == 2
    with psycopg.connect(superuser_url) as conn:
        before = conn.execute("select count(*) from crm.backup_run where outcome = 'ok'").fetchone()[0]
    assert AgentRunner(superuser_url, [jobs[-2], backup_job]).run_once()
    assert len(list((tmp_path / "nas").glob("*.crmbackup"))) == 1
    with psycopg.connect(superuser_url) as conn:
        assert conn.execute("select count(*) from crm.backup_run where outcome = 'ok'").fetchone()[0] == before + 1
    no_backup = agent_jobs(build_parser().parse_args(["agent", "--db", superuser_url]))
    assert "backup" not in [j.name for j in no_backup]
