"""The entry point of the frozen bundle (installers/crm-desktop.spec).

Both programs of the bundle, ``crm-desktop`` (no console) and ``crm-admin`` (a console program),
are built from this one script and share one analysis: the executable's name says which runs.
``crm-desktop -m crm_desktop.MODULE ARGS`` runs a module of the bundle as ``python -m`` would: the
server's TLS front and the desktops' server watch are started that way with ``sys.executable``,
which in the bundle is one of these two executables.
"""

from __future__ import annotations

import os
import runpy
import sys


def program_name(executable: str) -> str:
    """``crm-admin`` for crm-admin / crm-admin.exe, otherwise ``crm-desktop``."""
    stem = os.path.splitext(os.path.basename(executable))[0].lower()
    return "crm-admin" if stem == "crm-admin" else "crm-desktop"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    if len(argv) > 2 and argv[1] == "-m":
        module = argv[2]
        if not module.startswith("crm_desktop."):
            print(f"{argv[0]}: -m runs the bundle's own modules (crm_desktop.*), not {module}", file=sys.stderr)
            return 2
        sys.argv = [argv[0], *argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    if program_name(sys.executable) == "crm-admin":
        from crm_desktop.admin.cli import main as admin_main

        return admin_main(argv[1:])
    from crm_desktop.app import main as desktop_main

    return desktop_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
