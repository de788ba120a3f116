"""数据备份: the administrator sees the last backup (time, size, file) and the latest failure with
its reason; an account without system.backup sees an empty record (the server's policy)."""

from __future__ import annotations

import psycopg
from PySide6.QtGui import QImage

from crm_desktop.ui.admin import SCREEN_PERMISSIONS, screens
from crm_desktop.ui.admin.backups import BackupsScreen
from crm_desktop.ui.common.screenshot import save_screenshot
from admin_screens import no_task_outlives_its_test, opened  # noqa: F401 (an autouse fixture)


def test_the_administrator_sees_the_last_backup_and_the_failure_after_it(qtbot, login, chinese_ui, images,
                                                                          superuser_url):
    with psycopg.connect(superuser_url) as su:
        su.execute("""insert into crm.backup_run (started_at, finished_at, trigger, outcome, file, size_bytes, host)
                      values (now(), now(), 'scheduled', 'ok', '/srv/backup/crm-20261201-230000.crmbackup', 5452595, 'server-pc')""")
        su.execute("""insert into crm.backup_run (started_at, finished_at, trigger, outcome, error, host)
                      values (now(), now() + interval '1 second', 'scheduled', 'failed',
                              'No space left on device', 'server-pc')""")
    assert "backups" in [name for name, _t, _f in screens()] and SCREEN_PERMISSIONS["backups"] == "system.backup"
    screen = opened(qtbot, BackupsScreen(login("admin")))
    assert screen.runs[0].outcome == "failed" and screen.runs[1].ok
    assert "crm-20261201-230000.crmbackup" in screen.last_backup.text() and "5.2 MB" in screen.last_backup.text()
    assert screen.last_backup.text().startswith("最近一次备份")
    assert not screen.last_failure.isHidden() and "No space left on device" in screen.last_failure.text()
    assert screen.table.item(0, 1).text() == "失败" and screen.table.item(1, 1).text() == "成功"
    screen.resize(1100, 420)
    screen.show()
    qtbot.waitExposed(screen)
    path = images / "admin_backups.png"
    save_screenshot(screen, path)
    assert QImage(str(path)).width() == 1100


def test_an_account_without_the_permission_sees_no_record(qtbot, login):
    screen = opened(qtbot, BackupsScreen(login("chenjing")))
    assert screen.runs == [] and screen.last_failure.isHidden()
    assert screen.table.rowCount() == 0
