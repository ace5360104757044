"""Documents with real names: long names (minority names with ·) and long
unit names break only at sensible points; the Excel list fits its content;
the unit certificate does not leave two characters alone on a line."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from awards.mayday import documents

LONG_NAME = "阿卜杜热合曼·买买提明"
LONG_UNIT = "新疆天山国际能源装备制造集团有限公司第二分公司设备维修车间"
POST = "党支部书记兼车间主任"


def pdf_lines(data):
    return [line.strip() for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()]


@pytest.fixture
def awarded_long(make_nomination, award):
    nomination = make_nomination(nominee_name=LONG_NAME, work_unit=LONG_UNIT, post=POST)
    award(nomination)
    return nomination


def test_pdf_award_list_breaks_long_names_only_between_their_parts(campaign, awarded_long):
    lines = pdf_lines(documents.award_list_pdf(campaign))
    # Each part of the name stays whole on a line.
    assert any("阿卜杜热合曼" in line for line in lines)
    assert any("买买提明" in line for line in lines)
    # The post fits its (wider) column on one line.
    assert any(POST in line for line in lines)
    # The unit name breaks only after a whole word.
    assert any("设备维修车间" in line for line in lines)
    assert any("有限公司" in line for line in lines)



def test_excel_award_list_sizes_columns_to_content_and_wraps(campaign, awarded_long):
    ws = load_workbook(io.BytesIO(documents.award_list_xlsx(campaign))).active
    row = next(r for r in ws.iter_rows(min_row=3) if r[3].value == LONG_NAME)
    name, unit, post = row[3], row[4], row[5]
    # Wide enough for the whole name (CJK characters count double) ...
    assert ws.column_dimensions[name.column_letter].width >= 2 * len(LONG_NAME)
    assert ws.column_dimensions[post.column_letter].width >= 2 * len(POST)
    # ... and a longer unit name wraps within a bounded column instead of being cut.
    assert ws.column_dimensions[unit.column_letter].width < 2 * len(LONG_UNIT)
    for cell in (name, unit, post):
        assert cell.alignment.wrap_text
    # A short column stays narrow.
    assert ws.column_dimensions["A"].width < 10


TITLES = ["五一劳动奖状", "2024年度示范区总工会五一劳动奖状", "示范区五一劳动奖状（先进集体）"]


@pytest.mark.parametrize("layout", ["unit", "individual", "team"])
def test_certificate_text_keeps_its_closing_phrase_whole(layout):
    from workflows.documents.rendering import SampleCertificate, certificate_context, html_to_pdf, render_html

    pages = [certificate_context(SampleCertificate(layout, award_title=title)) for title in TITLES]
    pdf = html_to_pdf(render_html("documents/certificates.html", {"pages": pages}, orientation="landscape", margin="0"))
    closing = "特发此状，以资鼓励。" if layout == "unit" else "特发此证，以资鼓励。"
    for page, title in zip(PdfReader(io.BytesIO(pdf)).pages, TITLES):
        lines = [line.strip() for line in page.extract_text().splitlines()]
        # No line holds a stray end of the sentence (鼓励。 or 励。 alone).
        assert any(line.endswith(closing) for line in lines), (title, lines)
        assert any(title in line for line in lines), (title, lines)


def test_unit_holder_name_breaks_between_words():
    from workflows.documents.rendering import SampleCertificate, certificate_context, html_to_pdf, render_html

    page = certificate_context(SampleCertificate("unit", holder_name="示范区天山国际能源装备制造集团有限公司第二分公司设备维修车间"))
    pdf = html_to_pdf(render_html("documents/certificates.html", {"pages": [page]}, orientation="landscape", margin="0"))
    lines = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    assert any("设备维修车间" in line for line in lines), lines
