"""The CJK font shipped with the app (WenQuanYi Micro Hei, Apache-2.0 / GPLv3 with font exception).

Shipping it means Chinese renders the same on every workstation, in offscreen screenshots and in
PDFs, whatever fonts the system has. Licence texts sit beside the font in ``resources/fonts/``.

Qt is imported inside ``install_app_font`` only, so ``documents/`` can ask for ``font_path()``
(reportlab: ``TTFont(PDF_FONT_NAME, font_path(), subfontIndex=PDF_SUBFONT_INDEX)``) without Qt.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)

FONT_FILE = "wqy-microhei.ttc"
FONT_FAMILY = "WenQuanYi Micro Hei"  # face 0 of the collection; face 1 is the Mono variant
PDF_FONT_NAME = "WenQuanYiMicroHei"
PDF_SUBFONT_INDEX = 0


def _resources_dir() -> Path:
    # A PyInstaller bundle, an installed package (package-data) or a checkout (repo root), in order.
    package = Path(__file__).resolve().parents[2]
    candidates = [package / "resources", package.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "resources")
    return next((path for path in candidates if path.is_dir()), candidates[-1])


def fonts_dir() -> Path:
    """The folder of the shipped fonts and their licences (the PDF fallback fonts live here too)."""
    return _resources_dir() / "fonts"


def font_path() -> Path:
    """The .ttc file; raises FileNotFoundError when the installation lacks it."""
    path = fonts_dir() / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"CJK font missing: {path}")
    return path


def install_app_font(app, point_size: float | None = None) -> str | None:
    """Register the font with Qt and make it the application's default; returns its family.

    Returns None (and logs) if Qt cannot load it: the app stays usable with system fonts.
    """
    from PySide6.QtGui import QFont, QFontDatabase

    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if FONT_FAMILY not in families:
        log.warning("could not load %s; Chinese may render with system fonts", font_path())
        return None
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(point_size or app.font().pointSizeF())
    app.setFont(font)
    return FONT_FAMILY
