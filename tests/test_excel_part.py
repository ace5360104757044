"""Every Excel export the app offers, opened as it is downloaded (through its
view or its command): it prints with the header row repeated on every
page, all columns fitted to the page width, the panes frozen below the
header, the title in the page header; numbers are numbers and rates carry a
% format. And every import names a wrong cell by sheet, row and column
(workflows.documents.xlsx / xlsx_import)."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from workflows.scoring.excel import parse_standard_xlsx
from evaluations.cadres.voters import parse_voters
from evaluations.cadres.voting import do_cast_ballot
from evaluations.congress.facts import do_import_facts
from tests.awards.modelhome.conftest import mh  # noqa: F401
from tests.awards.modelhome.test_titles import granted
from tests.awards.kinds.test_mayday_papers import awarded  # noqa: F401
from tests.evaluations.cadres.conftest import finish, grades_for, make_evaluation, tellers  # noqa: F401
from tests.evaluations.congress.conftest import kinds, open_period  # noqa: F401
from tests.evaluations.congress.test_coverage import known  # noqa: F401
from workflows.documents.xlsx_import import CellError
from workflows.organisations import imports
from workflows.organisations.account_views import SESSION_PASSWORDS

pytestmark = pytest.mark.django_db

RATE_AS_TEXT = re.compile(r"^\s*-?\d+(\.\d+)?\s*%\s*$")


def body(response):
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def printable(data, *, header_row=1, sheet=None, numbers=(), rates=(), dates=()):
    """Assert the print set-up of the table sheet and the types of the
    named columns; returns the sheet."""
    wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.oddHeader.center.text
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    widths = sum(ws.column_dimensions[c.column_letter].width for c in ws[header_row])
    assert ws.page_setup.orientation == ("landscape" if widths > 100 else "portrait")
    headers = [c.value for c in ws[header_row]]
    data_rows = [row for row in ws.iter_rows(min_row=header_row + 1) if sum(c.value is not None for c in row) > 1]
    assert data_rows, "the export has no rows to check"
    for row in data_rows:
        for cell in row:
            assert not (isinstance(cell.value, str) and RATE_AS_TEXT.match(cell.value)), (cell.coordinate, cell.value)
        for heading in numbers:
            value = row[headers.index(heading)].value
            assert value in (None, "") or isinstance(value, int | float) and not isinstance(value, bool), (
                heading, value)
        for heading in rates:
            cell = row[headers.index(heading)]
            if cell.value not in (None, ""):
                assert isinstance(cell.value, int | float) and "%" in cell.number_format, (heading, cell.number_format)
        for heading in dates:
            cell = row[headers.index(heading)]
            if cell.value not in (None, ""):
                assert isinstance(cell.value, datetime.datetime) and "yy" in cell.number_format, (heading, cell.value)
    for heading in numbers + rates + dates:
        assert any(row[headers.index(heading)].value not in (None, "") for row in data_rows), heading
    return ws


def test_district_exports(client, tree, settings):
    client.force_login(tree.admin_d)
    printable(body(client.get(reverse("organisation_tree_xlsx"))), numbers=("层级",))
    template = body(client.get(reverse("district_import_template")))
    for sheet in (imports.ORG_SHEET, imports.ACCOUNT_SHEET):
        ws = load_workbook(io.BytesIO(template))[sheet]
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2" and ws.page_setup.fitToWidth == 1
    session = client.session
    session[SESSION_PASSWORDS] = [{"username": "u1", "name": "周填报", "unit": "丙一厂工会", "password": "x-1"}]
    session.save()
    ws = printable(body(client.get(reverse("district_import_passwords"))))
    assert [c.value for c in ws[2]] == ["u1", "周填报", "丙一厂工会", "x-1"]


def test_award_list_prints_with_its_header_on_every_page(client, tree, mayday_campaign, awarded):  # noqa: F811
    client.force_login(tree.admin_d)
    data = body(client.get(reverse("kinds:approved_list", args=[mayday_campaign.pk, "xlsx"])))
    # A sheet per kind the campaign offers, each printable on its own.
    for sheet in ("五一劳动奖章", "工人先锋号"):
        ws = printable(data, header_row=2, sheet=sheet, numbers=("序号",))
        assert ws["A1"].value == f"获批名单：{mayday_campaign.title} · {sheet}"
        assert mayday_campaign.title in ws.oddHeader.center.text


def test_the_exported_award_list_prints_with_its_header_on_every_page(mayday_campaign, awarded,  # noqa: F811
                                                                       tmp_path):
    out = tmp_path / "list.xlsx"
    call_command("export_award_list", campaign=mayday_campaign.code, format="xlsx", output=str(out))
    printable(out.read_bytes(), header_row=2, sheet="五一劳动奖章", numbers=("序号",))


def test_model_home_exports(client, mh, tmp_path):  # noqa: F811
    title = granted(mh)
    client.force_login(mh.admin_d)
    version = mh.campaign.standard_version
    printable(body(client.get(reverse("modelhome:standard_export", args=[version.pk]))), header_row=2,
              numbers=("标准分",))
    printable(body(client.get(reverse("modelhome:register_xlsx"))), numbers=("命名年度",),
              dates=("命名日期", "复查到期"))
    out = tmp_path / "titles.xlsx"
    call_command("export_titles", output=str(out), stdout=io.StringIO())
    printable(out.read_bytes(), numbers=("命名年度",))
    ws = printable(body(client.get(reverse("modelhome:inspection_download", args=[title.application_id]))),
                   numbers=("标准分",))
    assert isinstance(ws.cell(2, 4).value, int | float)  # an inspector's score


def test_congress_exports(client, known, tmp_path):  # noqa: F811
    client.force_login(known.admin_d)
    # Figures of targets in percent stay the number people write (66.7)
    # and show a % sign; counts are numbers.
    ws = printable(body(client.get("/coverage/export.xlsx?year=2024")), header_row=2,
                   numbers=("目标值", "已达标", "完成值"))
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "非公有制企业建立职代会")
    assert row[5].value == 66.7 and "%" in row[5].number_format and "%" in row[1].number_format
    assert row[3].value == 2
    out = tmp_path / "coverage.xlsx"
    call_command("export_coverage", year=2024, format="xlsx", output=str(out))
    printable(out.read_bytes(), header_row=2, numbers=("目标值", "已达标", "完成值"))
    printable(body(client.get(reverse("congress:facts_export"))), numbers=("建会年份",),
              dates=("最近民主评议日期",))


def test_cadres_result_sheet(client, tree, make_evaluation):  # noqa: F811
    evaluation = make_evaluation(codes=3, entitled=4)
    from evaluations.cadres.models import VotingCode

    for code in VotingCode.objects.filter(evaluation=evaluation):
        do_cast_ballot(evaluation=evaluation, code=code.code, grades=grades_for(evaluation, "excellent", "incompetent"))
    finish(tree, evaluation)
    data = body(client.get(f"/evaluations/results/{evaluation.code}/results.xlsx"))
    ws = printable(data, header_row=3, numbers=("序号", "应到", "实到", "优秀"), rates=("优秀率", "称职及以上率"),
                   dates=("评议日期",))
    rate = [c.value for c in ws[3]].index("优秀率") + 1
    assert ws.cell(4, rate).value == 1 and ws.cell(4, rate).number_format == "0.00%"
    notes = load_workbook(io.BytesIO(data))["说明及审核意见"]
    assert notes.page_setup.fitToWidth == 1 and notes["A1"].value.endswith(evaluation.title)


def sheet_bytes(*rows, title="名单"):
    wb = Workbook()
    wb.active.title = title
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_errors_name_sheet_row_and_column(tree):
    from workflows.exceptions import RuleViolation

    with pytest.raises(RuleViolation) as refused:
        parse_voters(sheet_bytes(["工号", "姓名", "类别"], ["1", "张三", "职工代表"], ["1", "", "职工代表"]),
                     categories=["职工代表"])
    messages = [str(m) for m in refused.value.message]
    assert any("“名单”表第 3 行 B 列（姓名）" in m for m in messages), messages
    assert any("“名单”表第 3 行 A 列（工号）" in m for m in messages), messages

    data, errors = parse_standard_xlsx(io.BytesIO(sheet_bytes(
        ["合格分数线", 75, "模范分数线", 90], ["章节", "编号", "考核内容", "类型", "标准分", "备注", "佐证材料"],
        ["一、组织", "1.1", "健全", "奖励", 10, "", ""], title="评分标准")))
    assert [(e.sheet, e.row, e.column, e.header) for e in errors] == [("评分标准", 3, "D", "类型")]

    upload = io.BytesIO(sheet_bytes(["组织名称", "组织代码", "建立职代会"], ["甲一", "union-a1", "也许"],
                                    title="组织情况"))
    _result, errors = do_import_facts(upload=upload, actor=tree.admin_d)
    assert [(e.sheet, e.row, e.column, e.header) for e in errors] == [("组织情况", 2, "C", "建立职代会")]
    assert str(errors[0]).startswith("“组织情况”表第 2 行 C 列（建立职代会）：")

    checked = imports.check_workbook(sheet_bytes(imports.ORG_HEADERS, title=imports.ORG_SHEET), tree.district)
    assert all(isinstance(e, CellError) for e in checked.errors)
    assert (imports.ACCOUNT_SHEET, 1, "A") in {(e.sheet, e.row, e.column) for e in checked.errors}
