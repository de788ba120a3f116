"""Fill crm_zh_CN.ts from the *.tsv word lists (context<TAB>English<TAB>Chinese).

Run by update.sh after pyside6-lupdate.  A message lupdate left unfinished gets its Chinese from
the lists; a list entry lupdate cannot see (text passed through a helper such as ``_tr(text)``)
is added to its context.  Translations already in the .ts are kept: the .ts stays the reference,
the lists only feed it.  Exits 1 and names every message still untranslated.
"""

from __future__ import annotations

import csv
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent


def read_lists(folder: Path) -> dict[tuple[str, str], str]:
    strings: dict[tuple[str, str], str] = {}
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) == 3 and row[2]:
                    strings[(row[0], row[1].replace("\\n", "\n"))] = row[2].replace("\\n", "\n")
    return strings


def _context(root: ET.Element, name: str) -> ET.Element:
    for context in root.iter("context"):
        if context.findtext("name") == name:
            return context
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = name
    return context


def fill(ts_path: Path, strings: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    tree = ET.parse(ts_path)
    root = tree.getroot()
    seen: set[tuple[str, str]] = set()
    missing = []
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            key = (name, message.findtext("source"))
            seen.add(key)
            translation = message.find("translation")
            if key in strings and not len(translation):  # the word lists win over lupdate's guesses (plural forms are kept)
                translation.text = strings[key]
            if translation.text:
                translation.attrib.pop("type", None)
            else:
                missing.append(key)
    for (name, source), chinese in sorted(strings.items()):
        if (name, source) not in seen:
            message = ET.SubElement(_context(root, name), "message")
            ET.SubElement(message, "source").text = source
            ET.SubElement(message, "translation").text = chinese
    ET.indent(tree)
    with ts_path.open("wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
        f.write(b"\n")
    return missing


def main() -> int:
    ts_path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "crm_zh_CN.ts"
    missing = fill(ts_path, read_lists(HERE))
    for context, source in missing:
        print(f"untranslated: [{context}] {source!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
