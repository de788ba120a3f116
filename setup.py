"""Wheels carry the SQL migrations and the resources (font, translations) inside the package.

They live at the top of the repository (server_schema/, resources/) for people and tools; a wheel
copies them to crm_desktop/server_schema and crm_desktop/resources, where migrate.schema_dir() and
fonts._resources_dir() look after the source tree.  Editable installs read the top-level folders.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = ("server_schema", "resources")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for folder in BUNDLED:
            shutil.copytree(HERE / folder, Path(self.build_lib) / "crm_desktop" / folder, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithData})
