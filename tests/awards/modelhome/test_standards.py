"""Scoring standards as versioned data, with Excel import and export."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from awards.modelhome.excel import parse_standard_xlsx, standard_xlsx
from awards.modelhome.models import Item, StandardVersion
from awards.modelhome.standards import standard_revise, version_data
from workflows.exceptions import NotAllowed, RuleViolation

from .conftest import fill, full_answers


def test_editing_a_standard_in_use_makes_a_new_version_and_the_campaign_keeps_its_own(mh):
    used = mh.campaign.standard_version
    application = fill(mh, submit=False)
    data = version_data(used)
    data["sections"][0]["items"][0]["points"] = Decimal("5")  # 1.1 from 3 to 5 points
    data["model"] = Decimal("92")
    new = standard_revise(standard=used.standard, data=data, actor=mh.admin_d)
    assert new.number == 2 and new.pk != used.pk
    mh.campaign.refresh_from_db()
    assert mh.campaign.standard_version_id == used.pk
    assert used.ordered_items().get(code="1.1").max_points == Decimal("3") and used.model_threshold == 90
    assert new.ordered_items().get(code="1.1").max_points == Decimal("5")
    # The running campaign still scores on its own version: 1.1 over 3 is refused.
    from awards.modelhome import services

    with pytest.raises(services.Incomplete, match="1.1"):
        services.application_save(application=application, actor=mh.submitter, submit=True,
                                  answers=full_answers(mh.campaign, overrides={"1.1": {"score": Decimal("5")}}))


def test_an_unused_version_is_revised_in_place(mh):
    new = standard_revise(standard=mh.campaign.standard_version.standard,
                          data=version_data(mh.campaign.standard_version), actor=mh.admin_d)
    again = standard_revise(standard=new.standard, data={**version_data(new), "qualified": 70}, actor=mh.admin_d)
    assert again.pk == new.pk and again.qualified_threshold == 70
    assert StandardVersion.objects.filter(standard=new.standard).count() == 2


def test_only_the_district_administrator_edits_and_bad_data_is_refused(mh):
    standard = mh.campaign.standard_version.standard
    with pytest.raises(NotAllowed):
        standard_revise(standard=standard, data=version_data(mh.campaign.standard_version), actor=mh.reviewer_d)
    with pytest.raises(RuleViolation):
        standard_revise(standard=standard, data={"sections": []}, actor=mh.admin_d)


def test_excel_round_trip(mh):
    version = mh.campaign.standard_version
    data, errors = parse_standard_xlsx(io.BytesIO(standard_xlsx(version)))
    assert errors == []
    original = version_data(version)
    assert [s["title"] for s in data["sections"]] == [s["title"] for s in original["sections"]]
    assert [(i["code"], i["kind"], i["points"], i["mandatory"]) for s in data["sections"] for i in s["items"]] == [
        (i["code"], i["kind"], i["points"], i["mandatory"]) for s in original["sections"] for i in s["items"]]
    assert Decimal(str(data["qualified"])) == 75 and Decimal(str(data["model"])) == 90


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["合格分数线", 75, "模范分数线", 90])
    ws.append(["章节", "编号", "考核内容", "类型", "标准分", "备注", "佐证材料"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_names_each_bad_row_and_changes_nothing(mh, client):
    version = mh.campaign.standard_version
    sheet = _sheet([
        ["一、组织", "1.1", "工会组织健全", "计分", 10, "必备", ""],
        ["一、组织", "1.2", "", "计分", "十", "", ""],
        ["一、组织", "1.3", "挂牌", "奖励", 2, "", ""],
    ])
    client.force_login(mh.admin_d)
    response = client.post(reverse("modelhome:standard_import", args=[version.pk]),
                           {"file": SimpleUploadedFile("s.xlsx", sheet)}, follow=True)
    page = response.content.decode()
    # Each problem named by sheet, row, column and heading.
    assert "“Sheet”表第 4 行 C 列（考核内容）" in page and "“Sheet”表第 4 行 E 列（标准分）" in page
    assert "“Sheet”表第 5 行 D 列（类型）" in page and "第 3 行" not in page
    assert StandardVersion.objects.filter(standard=version.standard).count() == 1


def test_import_of_a_good_sheet_makes_a_new_version(mh, client):
    version = mh.campaign.standard_version
    sheet = _sheet([
        ["一、组织建设", "1.1", "工会组织健全", "计分", 60, "必备", "选举批复"],
        ["一、组织建设", "1.2", "入会率100%", "计分", 40, "", ""],
        ["二、加分", "2.1", "获表彰", "加分", 3, "", ""],
        ["三、否决", "3.1", "未建立职代会制度", "否决", 0, "", ""],
    ])
    client.force_login(mh.admin_d)
    response = client.post(reverse("modelhome:standard_import", args=[version.pk]),
                           {"file": SimpleUploadedFile("s.xlsx", sheet)})
    new = StandardVersion.objects.get(standard=version.standard, number=2)
    assert response.status_code == 302
    assert [(i.code, i.kind, i.mandatory) for i in new.ordered_items()] == [
        ("1.1", "scored", True), ("1.2", "scored", False), ("2.1", "bonus", False), ("3.1", "veto", False)]
    assert new.base_points == 100
    export = client.get(reverse("modelhome:standard_export", args=[new.pk]))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[2][:5] == ("一、组织建设", "1.1", "工会组织健全", "计分", 60)
    assert Item.objects.filter(section__version=version).count() > 4  # the old version is untouched


def test_a_file_that_is_not_a_workbook_is_refused(mh):
    data, errors = parse_standard_xlsx(io.BytesIO(b"not excel"))
    assert data is None and errors
