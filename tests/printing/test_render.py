"""The PDFs read back as a reader sees them: pdftotext for the words, pdffonts for the fonts,
pdftoppm for the picture."""

import dataclasses
import io
import subprocess
from decimal import Decimal

import pytest
from pdf_reading import pdf_fonts, pdf_pages

from crm_desktop.printing import fonts, render, samples
from crm_desktop.printing.capitals import amount_in_words
from crm_desktop.printing.document import Letterhead, PrintTemplate

SPECIAL = ["m²", "m³", "µm", "±0.5", "℃", "×", "刘䶮", "𠮷"]


def _flat(text: str) -> str:
    return "".join(text.split())


def test_a_quote_prints_letterhead_party_lines_totals_capitals_and_validity(read_text):
    quote = samples.sample_quote()
    text = read_text(render.render_pdf(quote, samples.LETTERHEAD))
    flat = _flat(text)
    for expected in ["全程软件", "021-50801234", "91310115MA1H7XQ25K", "报价单", "NO-0001", "上海恒瑞精密仪器有限公司",
                     "刘䶮（采购部经理）", "liuyan@hengrui.example", "报价人：", "陈静", "有效期至：", "2026-12-31",
                     "恒温恒湿试验箱", "激光测厚仪", "86,500.00", "合计", "178,140.00", "167,516.30",
                     "人民币壹拾陆万柒仟伍佰壹拾陆元叁角整", "本报价有效期至2026-12-31", "客户确认", "第1页/共1页"]:
        assert expected in flat, expected
    assert amount_in_words(quote.discounted_total) == "人民币壹拾陆万柒仟伍佰壹拾陆元叁角整"


def test_the_special_glyphs_print_and_read_back(read_text):
    text = read_text(render.render_pdf(samples.sample_quote(), samples.LETTERHEAD))
    for glyph in SPECIAL:
        assert glyph in text, glyph


def test_no_character_of_the_samples_lacks_a_font():
    for document in (samples.sample_quote(), samples.sample_order(), samples.sample_contract()):
        texts = [document.party.contact, document.notes, *(l.product + l.spec for l in document.lines)]
        assert fonts.missing("".join(texts)) == []


def test_runs_switch_font_where_the_cjk_font_has_no_glyph():
    runs = fonts.runs("温度 25℃，刘䶮 𠮷 ½ pīnyīn ǎ")
    by_font = {}
    for name, piece in runs:
        by_font.setdefault(name, "")
        by_font[name] += piece
    assert "℃" in by_font[fonts.SYMBOL_FONT_NAME] and "½" in by_font[fonts.SYMBOL_FONT_NAME]
    assert "ǎ" in by_font[fonts.SYMBOL_FONT_NAME]
    assert "䶮" in by_font[fonts.RARE_HAN_FONT_NAME] and "𠮷" in by_font[fonts.RARE_HAN_FONT_NAME]
    assert "温度" in by_font[fonts.font_chain()[0].name]
    assert "".join(piece for _n, piece in runs) == "温度 25℃，刘䶮 𠮷 ½ pīnyīn ǎ"
    assert fonts.missing("\u0378") == ["\u0378"]


def test_fonts_are_embedded_as_subsets(tmp_path):
    used = [f for f in pdf_fonts(render.render_pdf(samples.sample_quote(), samples.LETTERHEAD), tmp_path)
            if f["name"] != "Helvetica"]  # reportlab's unused default resource, never drawn with
    names = {f["name"].split("+")[-1] for f in used}
    assert {"WenQuanYiMicroHei-0", "DejaVuSans", "HanaMinA"} <= names
    assert all(f["embedded"] and f["subset"] for f in used)


def test_a_long_quote_repeats_the_header_and_numbers_every_page(read_text, tmp_path):
    pdf = render.render_pdf(samples.sample_quote(80), samples.LETTERHEAD)  # the benchmark prints 200
    pages = pdf_pages(pdf, tmp_path)
    assert pages >= 4
    for page in range(1, pages + 1):
        flat = _flat(read_text(pdf, page, page))
        if "SY-0101" in flat:  # a page with lines (the last may hold only the signatures)
            assert "产品名称" in flat and "折后金额" in flat, page
        assert f"第{page}页/共{pages}页" in flat
    assert all("未审批" in text for text in _page_texts(pdf))
    whole = _flat(read_text(pdf))
    assert whole.count("产品名称") >= pages - 1 and "合计" in whole and "客户确认" in whole
    assert _flat(read_text(pdf, pages, pages)).endswith(f"第{pages}页/共{pages}页")
    assert len(pdf) < 200_000


def _page_texts(pdf: bytes) -> list[str]:
    """Every page's text including the rotated watermark, which pdftotext leaves out (PDFium reads it)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    return [page.get_textpage().get_text_range() for page in document]


def test_anything_but_approved_carries_a_watermark():
    for status, mark in (("draft", "草稿"), ("pending", "未审批"), ("rejected", "未审批")):
        pdf = render.render_pdf(samples.sample_order(approval_status=status), samples.LETTERHEAD)
        assert all(mark in text for text in _page_texts(pdf)), status


def test_the_watermark_is_visible(tmp_path):
    from PIL import Image

    for status, expect_red in (("draft", True), ("approved", False)):
        path = tmp_path / f"{status}.pdf"
        path.write_bytes(render.render_pdf(samples.sample_order(approval_status=status), samples.LETTERHEAD))
        subprocess.run(["pdftoppm", "-r", "30", "-png", "-singlefile", str(path), str(tmp_path / status)], check=True)
        image = Image.open(tmp_path / f"{status}.png").convert("RGB")
        reddish = sum(1 for r, g, b in image.getdata() if r > 200 and r - g > 15 and r - b > 15)
        assert (reddish > 200) is expect_red, (status, reddish)


def test_an_approved_order_has_no_watermark_and_names_its_approver(read_text):
    pdf = render.render_pdf(samples.sample_order(), samples.LETTERHEAD)
    flat = _flat(read_text(pdf))
    assert not any("草稿" in text or "未审批" in text for text in _page_texts(pdf))
    assert "销售订单" in flat and "XS201205230003" in flat and "业务员：" in flat
    assert "审批：王芳2026-12-0215:30" in flat
    assert "来源报价单：" in flat and "NO-0001（第3版）" in flat


def test_a_contract_prints_its_payment_plan_and_both_signatures(read_text):
    contract = samples.sample_contract()
    pdf = render.render_pdf(contract, samples.LETTERHEAD)
    flat = _flat(read_text(pdf))
    assert "合同" in flat and "草稿" in _page_texts(pdf)[0] and "公司签约人：" in flat and "签约日期：" in flat
    assert "付款计划（共3期）" in flat
    for instalment in contract.payment_plan:
        assert render.money(instalment.amount) in flat
    assert "甲方：上海恒瑞精密仪器有限公司" in flat and "乙方：全程软件" in flat
    assert "收支类型：" in flat and "分期付款" in flat


def test_a_template_sets_title_footer_and_columns(read_text):
    template = PrintTemplate("quote", title="产品报价确认单", footer="感谢惠顾 · 服务热线 400-820-1234",
                             hidden_columns=frozenset({"code", "spec", "discount"}))
    flat = _flat(read_text(render.render_pdf(samples.sample_quote(), samples.LETTERHEAD, template)))
    assert "产品报价确认单" in flat and "感谢惠顾·服务热线400-820-1234" in flat
    assert "产品编号" not in flat and "SY-0101" not in flat and "规格型号" not in flat and "折扣" not in flat
    default = _flat(read_text(render.render_pdf(samples.sample_quote(), samples.LETTERHEAD)))
    assert "产品编号" in default and "类别" not in default and "备注" in default  # 备注: the notes heading


def test_the_logo_is_embedded(tmp_path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (240, 80), (30, 90, 160)).save(buffer, "PNG")
    letterhead = dataclasses.replace(samples.LETTERHEAD, logo_png=buffer.getvalue())
    path = tmp_path / "logo.pdf"
    path.write_bytes(render.render_pdf(samples.sample_quote(), letterhead))
    images = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    assert len(images.splitlines()) == 3  # two header lines and the logo


def test_a_bare_letterhead_and_document_still_print(read_text):
    quote = dataclasses.replace(samples.sample_quote(), lines=(), total_quantity=Decimal("0"),
                                total_amount=Decimal("0"), discounted_total=Decimal("0"), notes="", title="")
    flat = _flat(read_text(render.render_pdf(quote, Letterhead(name=""))))
    assert "人民币零元整" in flat and "合计" in flat


def test_what_cannot_be_printed_faithfully_is_refused():
    with pytest.raises(ValueError):
        render.render_pdf(dataclasses.replace(samples.sample_quote(), kind="invoice"), samples.LETTERHEAD)
    with pytest.raises(ValueError):
        render.render_pdf(dataclasses.replace(samples.sample_quote(), discounted_total=Decimal("1.005")),
                          samples.LETTERHEAD)


def test_same_document_same_bytes():
    assert render.render_pdf(samples.sample_order(), samples.LETTERHEAD) == \
        render.render_pdf(samples.sample_order(), samples.LETTERHEAD)


def test_values_print_exactly_as_held():
    assert render.money(Decimal("12345.6")) == "12,345.60"
    assert render.money(Decimal("0.1234")) == "0.1234"
    assert render.money(Decimal("-5")) == "-5.00"
    assert render.quantity(Decimal("2.5000")) == "2.5" and render.quantity(Decimal("100")) == "100"
    assert render.percent(Decimal("0.95")) == "95%" and render.percent(Decimal("1")) == "100%"


def test_cell_text_wraps_within_the_width_keeping_numbers_whole():
    for text in ("容积 1.2 m³，-40～150℃ ±0.5℃", "量程 0–20 mm，精度 ±1 µm", "含上门安装、培训 2 人×1 天",
                 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", "刘䶮的𠮷字号样品，共三件。"):
        lines = fonts.wrap_lines(text, 8, 60)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(fonts.string_width(line, 8) <= 60 or len(line) == 1 or line[-1] in "，。" for line in lines)
        assert not any(line[:1] in "，。、" for line in lines)
    assert "-40～150℃" in fonts.wrap_lines("容积 1.2 m³，-40～150℃ ±0.5℃", 8, 60)
