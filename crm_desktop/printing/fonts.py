"""Which font draws which character: text is split into runs, each in the first font that has it.

The shipped CJK font (WenQuanYi Micro Hei) has a glyph for nearly everything an office types, but
some of its glyphs are empty (℃ ℉ Å Ⅴ, the pinyin vowels ǎ ǐ ǒ ǔ ǘ ǚ ǜ) or wrong (½ lacks its 2),
and it stops at the basic CJK block, so rare names (䶮, 㛃, 𠮷) would print as nothing.  The chain
is therefore: the CJK font, DejaVu Sans (symbols, Latin), then a HanaMinA subset for CJK
Extensions A–H — all shipped in ``resources/fonts/`` with their licences, all embedded as subsets
(reportlab embeds only the glyphs a document uses).

A font "has" a character when its cmap maps it to a glyph with an outline (or the character is a
space) and it is not in that font's list of known-bad glyphs.  What no font has is drawn in the
CJK font (its .notdef box) and reported by :func:`missing`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from crm_desktop.ui.common.fonts import PDF_FONT_NAME, PDF_SUBFONT_INDEX, font_path, fonts_dir

SYMBOL_FONT_NAME = "DejaVuSans"
RARE_HAN_FONT_NAME = "HanaMinRare"

# glyphs that exist but print wrong, per font, found by rendering them (docs/printing.md)
_BAD_GLYPHS = {PDF_FONT_NAME: frozenset("½")}


@dataclass(frozen=True)
class _Font:
    name: str
    covered: frozenset[int]


def _usable_code_points(font: TTFont) -> frozenset[int]:
    face = font.face
    positions = face.glyphPos
    bad = {ord(ch) for ch in _BAD_GLYPHS.get(font.fontName, ())}
    usable = set()
    for code_point, glyph in face.charToGlyph.items():
        has_outline = positions[glyph] != positions[glyph + 1]
        if code_point not in bad and (has_outline or unicodedata.category(chr(code_point)) in ("Zs", "Cc")):
            usable.add(code_point)
    return frozenset(usable)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16 (the PDF rule).

    reportlab writes ``<%04X>``, so 𠮷 (U+20BB7) came back from copy/paste and pdftotext as U+20BB.
    """
    def utf16(code_point: int) -> str:
        return chr(code_point).encode("utf-16-be", "surrogatepass").hex().upper()

    text = _reportlab_to_unicode_cmap(fontname, subset)
    head, _, tail = text.partition("beginbfchar")
    body, _, rest = tail.partition("endbfchar")
    pairs = "\n".join(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset))
    return f"{head}beginbfchar\n{pairs}\nendbfchar{rest}"


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@functools.cache
def font_chain() -> tuple[_Font, ...]:
    """Registers the three fonts with reportlab (once) and returns them in fallback order."""
    folder = fonts_dir()
    fonts = [TTFont(PDF_FONT_NAME, str(font_path()), subfontIndex=PDF_SUBFONT_INDEX),
             TTFont(SYMBOL_FONT_NAME, str(folder / "DejaVuSans.ttf")),
             TTFont(RARE_HAN_FONT_NAME, str(folder / "hanamin-rare.ttf"))]
    chain = []
    for font in fonts:
        pdfmetrics.registerFont(font)
        chain.append(_Font(font.fontName, _usable_code_points(font)))
    return tuple(chain)


def _font_for(ch: str, chain: tuple[_Font, ...]) -> str:
    code_point = ord(ch)
    for font in chain:
        if code_point in font.covered:
            return font.name
    return chain[0].name


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` as (font name, piece) runs; ASCII and CJK of the basic block stay in one run."""
    chain = font_chain()
    primary = chain[0]
    result: list[tuple[str, str]] = []
    current, start = None, 0
    for i, ch in enumerate(text):
        name = primary.name if ord(ch) in primary.covered else _font_for(ch, chain)
        if name != current:
            if current is not None:
                result.append((current, text[start:i]))
            current, start = name, i
    if current is not None:
        result.append((current, text[start:]))
    return result


def missing(text: str) -> list[str]:
    """The characters of ``text`` that no shipped font can draw (line breaks and tabs aside)."""
    chain = font_chain()
    return sorted({ch for ch in text if ch not in "\n\r\t"
                   and not any(ord(ch) in font.covered for font in chain)})


def markup(text: str) -> str:
    """``text`` as reportlab paragraph markup: escaped, fallback runs in ``<font>``, newlines ``<br/>``."""
    primary = font_chain()[0].name
    pieces = []
    for name, piece in runs(text):
        piece = escape(piece).replace("\n", "<br/>")
        pieces.append(piece if name == primary else f'<font face="{name}">{piece}</font>')
    return "".join(pieces)


def wrap_lines(text: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines at most ``width`` wide (measured run by run, fallback fonts too).

    Breaks after any CJK character and at spaces between Latin words and numbers (so 0–150℃ stays
    whole); closing punctuation never starts a line (禁则); a word wider than a line is broken
    anywhere.
    """
    primary = font_chain()[0]
    if all(ord(ch) in primary.covered or ch == "\n" for ch in text):
        width_of = functools.partial(pdfmetrics.stringWidth, fontName=primary.name, fontSize=size)
    else:
        width_of = functools.partial(string_width, size=size)
    lines = []
    for paragraph in text.split("\n"):
        if width_of(paragraph) <= width:
            lines.append(paragraph)
            continue
        line = ""
        for token in _tokens(paragraph):
            if width_of(line + token) <= width or not line:
                line += token
                while width_of(line) > width and len(line) > 1:  # one token wider than a line
                    cut = _longest_prefix(line, width, width_of)
                    lines.append(line[:cut])
                    line = line[cut:]
            elif token in _NO_LINE_START:  # 禁则: closing punctuation stays with what it closes
                line += token
            else:
                lines.append(line.rstrip())
                line = token.lstrip()
        lines.append(line)
    return lines


def wrap_plain(text: str, size: float, width: float) -> str | None:
    """The wrapped lines joined by newlines if the CJK font has every character, else None (a
    paragraph with font runs must draw it).  Tables draw plain lines far faster than paragraphs."""
    primary = font_chain()[0]
    if not all(ord(ch) in primary.covered or ch == "\n" for ch in text):
        return None
    return "\n".join(wrap_lines(text, size, width))


_NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’…%,.;:?!)]")
_WORD = re.compile(r"[A-Za-z0-9.,:;%+\-/()#&@_±~～–×℃µ²³]+ *| +|.", re.DOTALL)


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def _longest_prefix(text: str, width: float, width_of) -> int:
    cut = 1
    while cut < len(text) and width_of(text[:cut + 1]) <= width:
        cut += 1
    return cut


def string_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(piece, name, size) for name, piece in runs(text))


def draw_string(canvas, x: float, y: float, text: str, size: float, align: str = "left") -> None:
    """Draw one line on a reportlab canvas, switching fonts per run; align left, centre or right."""
    if align != "left":
        width = string_width(text, size)
        x -= width if align == "right" else width / 2
    for name, piece in runs(text):
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, name, size)
