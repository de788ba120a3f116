"""One real embedded PostgreSQL per test session, migrated and seeded with the demo company.

Tests log in as demo accounts with their own passwords (``demo1234``): a superuser connection
proves nothing about security.  Roles are cluster-wide, so the cluster is private to the session.
"""

from __future__ import annotations

import os
import tempfile
import uuid
import warnings

import psycopg
import pytest

warnings.filterwarnings("ignore", module="platformdirs")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# what the client remembers on its own (trusted server certificates, UKey logins): never the real one
os.environ.setdefault("CRM_DESKTOP_DATA", tempfile.mkdtemp(prefix="crm-desktop-data-"))

DEMO_PASSWORD = "demo1234"


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    from crm_desktop.admin.server import EmbeddedServer

    server = EmbeddedServer(tmp_path_factory.mktemp("pg") / "server")
    info = server.start()
    yield info
    server.stop()


@pytest.fixture(scope="session")
def superuser_url(request) -> str:
    """The session's CRM database, migrated and seeded (superuser URL).

    CRM_TEST_DATABASE_URL names a database that is already migrated and seeded instead (the schema
    mutation tool, benchmarks/schema_mutations.py, points each run at a mutated copy): it is used
    as it is, not migrated again."""
    from crm_desktop.admin.cli import database_from_url
    from crm_desktop.admin.migrate import migrate
    from crm_desktop.admin.seed import seed_demo

    if os.environ.get("CRM_TEST_DATABASE_URL"):
        return os.environ["CRM_TEST_DATABASE_URL"]
    url = request.getfixturevalue("pg_server").url()
    migrate(url)
    db = database_from_url(url)
    try:
        seed_demo(db)
    finally:
        db.close()
    return url


@pytest.fixture(scope="session")
def address(superuser_url):
    from crm_desktop.db.connection import ServerAddress

    return ServerAddress.from_url(superuser_url)


@pytest.fixture(scope="session")
def admin_db(superuser_url):
    """A superuser service handle, for arranging data (never for proving security)."""
    from crm_desktop.admin.cli import database_from_url

    db = database_from_url(superuser_url)
    yield db
    db.close()


@pytest.fixture
def login(address):
    """login('chenjing') → a Database opened with that account's own password."""
    from crm_desktop.services.auth import log_in

    opened = []

    def _login(name: str, password: str = DEMO_PASSWORD):
        db = log_in(address, name, password)
        opened.append(db)
        return db

    yield _login
    for db in opened:
        db.close()


@pytest.fixture
def raw_connect(address):
    """raw_connect('chenjing') → a plain psycopg connection as that account (like psql)."""
    opened = []

    def _connect(name: str, password: str = DEMO_PASSWORD, autocommit: bool = True):
        conn = psycopg.connect(**address.connect_args(name, password), autocommit=autocommit)
        opened.append(conn)
        return conn

    yield _connect
    for conn in opened:
        conn.close()


@pytest.fixture
def unique():
    """A short unique suffix for names created by one test."""
    return uuid.uuid4().hex[:8]


# Like Anki, automatic garbage collection is off while Qt runs: a cycle collected at an arbitrary
# moment can free Qt wrappers that a worker thread is still finishing with (seen as a segfault
# under load).  Garbage is collected after each test, once the task pool is idle.
def pytest_configure(config):
    import gc

    gc.disable()
    config.addinivalue_line("markers", "slow: takes a minute or more; runs with --run-slow, and in CI (CI=true)")


def _random_seed_line(config) -> str | None:
    seed = getattr(config.option, "randomly_seed", None)
    if not isinstance(seed, int) or not config.pluginmanager.hasplugin("randomly"):
        return None
    return f"random test order: -p randomly --randomly-seed={seed} repeats it"


def pytest_sessionstart(session):
    """The seed of pytest-randomly, shown even under -q (its own header line is not)."""
    line = _random_seed_line(session.config)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if line and reporter is not None and not hasattr(session.config, "workerinput"):
        reporter.write_line(line)


def pytest_terminal_summary(terminalreporter, config):
    line = _random_seed_line(config)
    if line:
        terminalreporter.write_line(line)


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", help="also run the tests marked slow (CI=true does)")


def pytest_collection_modifyitems(config, items):
    # tests/ukey share one virtual card reader (vpcd listens on one fixed port): under pytest-xdist
    # they all go to one worker (./test passes --dist loadgroup)
    for item in items:
        if "ukey" in item.path.parts:
            item.add_marker(pytest.mark.xdist_group("ukey"))
    if config.getoption("--run-slow") or os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        return
    later = pytest.mark.skip(reason="slow: ./test --run-slow runs it, CI always does")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(later)


@pytest.fixture(autouse=True)
def _collect_garbage_when_idle():
    import gc

    yield
    try:
        from PySide6.QtCore import QThreadPool
        QThreadPool.globalInstance().waitForDone(10_000)
    except ImportError:
        pass
    gc.collect()


@pytest.fixture
def images(tmp_path):
    """Where screenshot tests render: docs/images with CRM_WRITE_DOCS=1, else a temporary folder."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    return root / "docs" / "images" if os.environ.get("CRM_WRITE_DOCS") == "1" else tmp_path


@pytest.fixture
def chinese_ui(qapp):
    """The shipped CJK font and the app's own zh_CN translations, as a user sees them."""
    from PySide6.QtCore import QLocale

    from crm_desktop.ui.common.fonts import install_app_font
    from crm_desktop.ui.i18n import install_translations, remove_translations

    locale = QLocale()
    install_app_font(qapp, 10)
    install_translations(qapp, "zh_CN")
    yield
    remove_translations(qapp)
    QLocale.setDefault(locale)
