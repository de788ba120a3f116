"""The sample printouts of docs/samples/ and their pictures in docs/images/: rendered from the demo
documents, read back and drawn; with CRM_WRITE_DOCS=1 they are (re)written into docs/."""

import os
import subprocess
from pathlib import Path

from pdf_reading import pdf_text

from crm_desktop.printing import render, samples
from crm_desktop.printing.document import PrintTemplate

ROOT = Path(__file__).resolve().parents[2]
FOOTER = "全程软件 · 上海市浦东新区张江高科技园区碧波路 690 号 · 服务热线 400-820-1234"


def test_sample_printouts(tmp_path):
    write = os.environ.get("CRM_WRITE_DOCS") == "1"
    pdf_dir, image_dir = (ROOT / "docs" / "samples", ROOT / "docs" / "images") if write else (tmp_path, tmp_path)
    pdf_dir.mkdir(parents=True, exist_ok=True)
    letterhead = samples.LETTERHEAD.__class__(**{**samples.LETTERHEAD.__dict__, "logo_png": samples.demo_logo_png()})
    documents = {"quote": samples.sample_quote(), "sales-order": samples.sample_order(),
                 "contract": samples.sample_contract()}
    if write:  # test_render already proves the long one; drawing it again only costs time
        documents["quote-200-lines"] = samples.sample_quote(200)
    for name, document in documents.items():
        pdf = render.render_pdf(document, letterhead, PrintTemplate(document.kind, footer=FOOTER))
        path = pdf_dir / f"sample-{name}.pdf"
        path.write_bytes(pdf)
        assert document.number in pdf_text(pdf, tmp_path)
        last_page = "1" if name != "quote-200-lines" else "2"
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", last_page, str(path),
                        str(image_dir / f"printing-{name}")], check=True)
        assert (image_dir / f"printing-{name}-1.png").stat().st_size > 20_000
