"""Printing benchmark: how long a quote takes to become a PDF, and how large the file is.

    python benchmarks/printing_bench.py --out benchmarks/results/printing.json

Renders sample quotes (crm_desktop/printing/samples.py: the product names and specs carry m² ℃ ±
and a rare CJK name, so the font fallback is exercised) of 1, 20, 200 and 1,000 lines, each
``--repeat`` times in this process, and reports the median, the first render (which also loads
the three fonts), the CPU time of the render (what it costs whatever else the machine runs) and
the PDF's size and page count.  Beside it, the floor: the same table drawn
with reportlab's canvas alone (fixed rows, one font, no wrapping, no page furniture) — what
reportlab needs at least to put that much text into a PDF.  The budget from issue 12 is a
200-line quote in under a second.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import time
from pathlib import Path

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from crm_desktop.printing import fonts, pages, render, samples
from crm_desktop.printing.render import money, quantity

BUDGET_200_LINES_S = 1.0


def _timed(fn, repeat: int, clock=time.perf_counter) -> list[float]:
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return times


def floor_pdf(document) -> bytes:
    """The lines as plain text rows on a canvas: no wrapping, no fallback, no totals, no furniture."""
    name = fonts.font_chain()[0].name
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    y = 800
    for number, line in enumerate(document.lines, start=1):
        if y < 60:
            pdf.showPage()
            y = 800
        pdf.setFont(name, 8)
        for x, text in ((40, str(number)), (60, line.code), (110, line.product), (220, line.spec[:20]),
                        (330, quantity(line.quantity)), (370, line.unit), (400, money(line.unit_price)),
                        (460, money(line.amount)), (520, money(line.discounted_amount))):
            pdf.drawString(x, y, text)
        y -= 24
    pdf.save()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "printing.json")
    args = parser.parse_args()

    start = time.perf_counter()
    fonts.font_chain()
    font_load = time.perf_counter() - start
    results = []
    for lines in (1, 20, 200, 1000):
        document = samples.sample_quote(lines)
        first_start = time.perf_counter()
        pdf = render.render_pdf(document, samples.LETTERHEAD)
        first = time.perf_counter() - first_start
        repeat = args.repeat if lines <= 200 else max(2, args.repeat // 3)
        times = _timed(lambda d=document: render.render_pdf(d, samples.LETTERHEAD), repeat)
        cpu = _timed(lambda d=document: render.render_pdf(d, samples.LETTERHEAD), repeat, time.process_time)
        floor_times = _timed(lambda d=document: floor_pdf(d), repeat)
        preview = _timed(lambda p=pdf: pages.page_image(p, 0, 96), 3)
        row = {"lines": lines, "pages": pages.page_count(pdf), "bytes": len(pdf),
               "render_median_s": round(statistics.median(times), 4), "render_first_s": round(first, 4),
               "render_cpu_median_s": round(statistics.median(cpu), 4),
               "floor_median_s": round(statistics.median(floor_times), 4),
               "floor_bytes": len(floor_pdf(document)),
               "ratio_to_floor": round(statistics.median(times) / statistics.median(floor_times), 2),
               "preview_page_96dpi_s": round(statistics.median(preview), 4)}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False))
    quote_200 = next(r for r in results if r["lines"] == 200)
    report = {"benchmark": "printing", "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
              "machine": {"python": platform.python_version(), "reportlab": reportlab.Version,
                          "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                          "load_average_1min_at_end": round(os.getloadavg()[0], 1)},
              "note": "times scale with the machine's load (shared build machines run several suites); "
                      "ratio_to_floor is the steadier figure",
              "font_load_s": round(font_load, 4), "quotes": results,
              "budget": {"quote_200_lines_s": BUDGET_200_LINES_S,
                         "met_wall": quote_200["render_median_s"] < BUDGET_200_LINES_S,
                         "met_cpu": quote_200["render_cpu_median_s"] < BUDGET_200_LINES_S}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: 200 lines in {quote_200['render_median_s']} s "
          f"({quote_200['render_cpu_median_s']} s CPU), {quote_200['bytes']:,} bytes")


if __name__ == "__main__":
    main()
