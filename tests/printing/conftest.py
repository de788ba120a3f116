"""PDFs read back as a reader would (tests/pdf_reading.py)."""

import pytest

from pdf_reading import pdf_text


@pytest.fixture
def read_text(tmp_path):
    return lambda pdf, first=None, last=None: pdf_text(pdf, tmp_path, first, last)
