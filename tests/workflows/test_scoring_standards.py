"""Scoring standards as versioned data (the engine's, workflows.scoring),
with Excel import and export at the engine's addresses and model home's
old ones. The standard used here is the model-home demo's (a campaign uses
it: "in use" is a process's foreign key the engine finds by itself)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import StandardItem, StandardVersion
from workflows.scoring.excel import parse_standard_xlsx, standard_xlsx
from workflows.scoring.standards import standard_revise, version_data

from tests.awards.modelhome.conftest import mh  # noqa: F401 (fixture)


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
    response = client.post(reverse("standard_import", args=[version.pk]),
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
    response = client.post(reverse("standard_import", args=[version.pk]),
                           {"file": SimpleUploadedFile("s.xlsx", sheet)})
    new = StandardVersion.objects.get(standard=version.standard, number=2)
    assert response.status_code == 302
    assert [(i.code, i.kind, i.mandatory) for i in new.ordered_items()] == [
        ("1.1", "scored", True), ("1.2", "scored", False), ("2.1", "bonus", False), ("3.1", "veto", False)]
    assert new.base_points == 100
    export = client.get(reverse("standard_export", args=[new.pk]))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[2][:5] == ("一、组织建设", "1.1", "工会组织健全", "计分", 60)
    assert StandardItem.objects.filter(section__version=version).count() > 4  # the old version is untouched


def test_a_file_that_is_not_a_workbook_is_refused(mh):
    data, errors = parse_standard_xlsx(io.BytesIO(b"not excel"))
    assert data is None and errors


def test_the_engine_pages_and_model_homes_old_addresses_show_the_same_standard(mh, client):
    version = mh.campaign.standard_version
    client.force_login(mh.submitter)  # a grassroots unit's submitter reads its district's standards
    for name, args in (("standard_list", []), ("standard_detail", [version.pk])):
        engine, old = client.get(reverse(name, args=args)), client.get(reverse(f"modelhome:{name}", args=args))
        assert engine.status_code == old.status_code == 200
        assert version.standard.name in engine.content.decode()
    page = client.get(reverse("standard_detail", args=[version.pk])).content.decode()
    # What uses the version is found by the engine without naming the process.
    assert mh.campaign.title in page and mh.campaign.get_absolute_url() in page
    assert 'enctype="multipart/form-data"' not in page  # only the district's administrator imports
    assert version.is_in_use and [c for qs in version.users() for c in qs] == [mh.campaign]
    client.force_login(mh.admin_d)
    assert 'enctype="multipart/form-data"' in client.get(reverse("standard_detail", args=[version.pk])).content.decode()
    assert client.get(reverse("modelhome:standard_export", args=[version.pk])).status_code == 200


def test_a_standard_of_another_district_is_not_found(mh, client):
    from tests.conftest import make_org, make_user
    from workflows.models import OrgKind
    from workflows.scoring.standards import standard_create

    from demo.modelhome_standard import DEMO_STANDARD

    other = make_org("另一区总工会", "other-d", OrgKind.DISTRICT, None)
    other_admin = make_user("other_admin", (other, "district_admin"))
    foreign = standard_create(district=other, code="other", name="另一区标准", data=DEMO_STANDARD, actor=other_admin)
    client.force_login(mh.admin_d)
    for name in ("standard_detail", "standard_export"):
        assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
    assert client.post(reverse("standard_import", args=[foreign.pk])).status_code == 404
    assert "另一区标准" not in client.get(reverse("standard_list")).content.decode()
    with pytest.raises(NotAllowed):
        standard_revise(standard=foreign.standard, data=version_data(foreign), actor=mh.admin_d)


def test_writing_a_standard_is_audited_under_the_engines_codes(mh):
    from workflows.audit import ACTION_LABELS
    from workflows.models import AuditEntry

    standard = mh.campaign.standard_version.standard
    new = standard_revise(standard=standard, data=version_data(mh.campaign.standard_version), actor=mh.admin_d)
    actions = list(AuditEntry.objects.filter(object_id=standard.pk).order_by("pk").values_list("action", "data"))
    assert actions == [("workflows.standard.created", {"version": 1}), ("workflows.standard.revised", {"version": 2})]
    assert new.number == 2 and "workflows.standard.imported" in ACTION_LABELS


def test_a_repeated_item_number_names_its_row_and_the_first(mh, client):
    version = mh.campaign.standard_version
    sheet = _sheet([
        ["一、组织", "1.1", "工会组织健全", "计分", 10, "", ""],
        ["一、组织", "1.2", "入会率", "计分", 10, "", ""],
        ["一、组织", "1.1", "挂牌", "计分", 2, "", ""],
    ])
    client.force_login(mh.admin_d)
    response = client.post(reverse("standard_import", args=[version.pk]),
                           {"file": SimpleUploadedFile("s.xlsx", sheet)}, follow=True)
    page = response.content.decode()
    # Named by sheet, row and column (the Excel part), and the row it repeats.
    assert "第 5 行" in page and "编号“1.1”已在第3行使用" in page
    assert StandardVersion.objects.filter(standard=version.standard).count() == 1
