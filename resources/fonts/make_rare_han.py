"""How ``hanamin-rare.ttf`` was made (run once by hand; fontTools is not a dependency of the app).

The shipped CJK font (WenQuanYi Micro Hei) has the 20,932 ideographs of the basic block but not
Extension A or B, where rare names live (刘䶮, 㛃, 𠮷).  HanaMinA (GlyphWiki's 花園明朝A, Debian
package fonts-hanazono, Hanazono Font License: use, copy, modify and distribute freely) has all of
Extension A and the most used part of B–H; the printing layer falls back to it per character.
Only those ranges are kept, so the file stays a few megabytes instead of 22.

    pip install fonttools
    python resources/fonts/make_rare_han.py /usr/share/fonts/truetype/hanazono/HanaMinA.ttf
"""

import sys
from pathlib import Path

from fontTools import subset

RANGES = [(0x3400, 0x4DBF),    # CJK Unified Ideographs Extension A
          (0xF900, 0xFAFF),    # CJK Compatibility Ideographs
          (0x20000, 0x323AF),  # Extensions B–H
          (0x2F800, 0x2FA1F)]  # CJK Compatibility Ideographs Supplement


def main(source: str) -> None:
    target = Path(__file__).with_name("hanamin-rare.ttf")
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = subset.load_font(source, options)
    cmap = font.getBestCmap()
    keep = [cp for cp in cmap if any(lo <= cp <= hi for lo, hi in RANGES)]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    print(f"{target}: {len(keep)} characters, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
