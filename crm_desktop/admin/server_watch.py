"""The server watch: stops this PC's private server when every crm-desktop using it is gone.

A desktop that quits — its last window, a cancelled set-up, SIGTERM/SIGINT/SIGHUP — releases the
server itself (``EmbeddedServer.release_for_desktop``).  A desktop that is killed (SIGKILL, the task
manager, a crash) releases nothing; the desktop that started the server therefore starts this small
detached process beside it:

    python -m crm_desktop.admin.server_watch DATA

It polls ``DATA/desktops.json`` every second and, once no process listed there is alive, stops the
server under the desktops lock, exactly as the last release would have.  It ends by itself when the
server has been stopped (by a desktop, by ``crm-admin server stop``) or another watch has taken
over.  A desktop that starts while the watch is gone (killed as well) starts a new one.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from crm_desktop.admin.server import EmbeddedServer, ServerError, _process_alive

log = logging.getLogger("crm_desktop.server_watch")


def still_mine(desktops: dict) -> bool:
    """Whether this process is the watch of a server that desktops started."""
    return bool(desktops.get("started_by_desktop")) and int(desktops.get("watch_pid") or 0) == os.getpid()


def watch(data: str, interval: float = 1.0) -> int:
    server = EmbeddedServer(data)
    while True:
        time.sleep(interval)
        desktops = server.desktops_now()
        if not still_mine(desktops):
            return 0
        if any(_process_alive(int(pid)) for pid in desktops.get("pids", [])):
            continue
        try:
            if server.stop_if_abandoned():
                log.warning("every desktop using the server in %s is gone: stopped it", server.data)
                return 0
        except (ServerError, OSError):
            log.exception("the server in %s could not be stopped; trying again", server.data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="stop this PC's server when no crm-desktop uses it")
    parser.add_argument("data", help="the server's data folder")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between two looks")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    return watch(args.data, args.interval)


if __name__ == "__main__":
    sys.exit(main())
