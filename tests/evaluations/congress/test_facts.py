"""Organisation facts: edited by the union itself and by the district
through the audited service, imported from Excel with row-by-row errors."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from evaluations.congress.facts import do_import_facts, do_update_facts
from evaluations.congress.models import OrganisationFacts
from workflows.audit import history_of
from workflows.exceptions import NotAllowed

pytestmark = pytest.mark.django_db


def test_service_is_audited_and_scoped(tree):
    facts = do_update_facts(organisation=tree.union_a1, values={"has_congress": True, "union_founded_year": 2024},
                            actor=tree.submitter)
    entry = history_of(facts).get()
    assert entry.action == "congress.facts.updated"
    assert entry.data["changes"] == {"has_congress": [False, True], "union_founded_year": [None, 2024]}
    do_update_facts(organisation=tree.union_a1, values={"has_congress": True}, actor=tree.admin_d)
    assert history_of(facts).count() == 1  # nothing changed, nothing recorded
    for outsider in (tree.reviewer_a, tree.submitter_b):
        with pytest.raises(NotAllowed):
            do_update_facts(organisation=tree.union_a1, values={"standardised": True}, actor=outsider)


def sheet(*rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("facts.xlsx", buffer.getvalue())


def test_import_lists_each_wrong_row_and_changes_nothing(tree):
    upload = sheet(["组织代码", "建立职代会", "建会年份", "最近民主评议日期"],
                   ["union-a1", "是", 2024, datetime.date(2024, 5, 1)],
                   ["no-such", "是", 2024, None],
                   ["union-a2", "也许", "二〇二四", "2024-13-01"])
    result, errors = do_import_facts(upload=upload, actor=tree.admin_d)
    assert result == {"updated": 0}
    # Each wrong cell named by sheet, row and column.
    assert [(e.sheet, e.row, e.column, e.header) for e in errors] == [
        ("Sheet", 3, "A", "组织代码"), ("Sheet", 4, "B", "建立职代会"), ("Sheet", 4, "C", "建会年份"),
        ("Sheet", 4, "D", "最近民主评议日期")]
    assert "no-such" in errors[0].message and "“建立职代会”须填“是”或“否”" in errors[1].message
    assert not OrganisationFacts.objects.exists()

    upload = sheet(["组织代码", "组织名称", "建立职代会", "建会年份", "最近民主评议日期"],
                   ["union-a1", "甲一", "是", 2024, datetime.date(2024, 5, 1)],
                   ["union-a2", "甲二", "否", "1998年", "2023-11-02"])
    result, errors = do_import_facts(upload=upload, actor=tree.admin_d)
    assert errors == [] and result == {"updated": 2}
    a1, a2 = OrganisationFacts.objects.get(organisation=tree.union_a1), OrganisationFacts.objects.get(organisation=tree.union_a2)
    assert a1.has_congress and a1.union_founded_year == 2024 and a1.democratic_evaluation_on == datetime.date(2024, 5, 1)
    assert not a2.has_congress and a2.union_founded_year == 1998
    assert history_of(a1).get().data["source"] == "excel"


def test_import_page_and_export_round_trip(client, tree):
    do_update_facts(organisation=tree.union_b1, values={"standardised": True}, actor=tree.admin_d)
    client.force_login(tree.admin_d)
    exported = client.get(reverse("congress:facts_export"))
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("组织代码", "组织名称", "已建会")
    b1 = next(r for r in rows if r[0] == "union-b1")
    assert b1[rows[0].index("工会规范化建设")] == "是"
    response = client.post(reverse("congress:facts_import"), {"file": sheet(["组织代码", "工会规范化建设"], ["union-b1", "否"], ["union-x", "是"])})
    page = response.content.decode()
    assert response.status_code == 200 and "第 3 行" in page and "union-x" in page
    not_excel = SimpleUploadedFile("facts.xlsx", b"not a workbook")
    page = client.post(reverse("congress:facts_import"), {"file": not_excel}).content.decode()
    assert "该文件不是 Excel 工作簿" in page
    client.force_login(tree.submitter)
    assert client.get(reverse("congress:facts_import")).status_code == 404


def test_facts_pages_follow_the_branch(client, tree):
    client.force_login(tree.submitter)
    url = reverse("congress:facts_edit", args=[tree.union_a1.pk])
    response = client.post(url, {"unionised": "on", "has_congress": "on", "union_founded_year": "3000"})
    assert response.status_code == 200 and "“建会年份”须为年份" in response.content.decode()
    response = client.post(url, {"unionised": "on", "has_congress": "on", "union_founded_year": "2024"})
    assert response.status_code == 302
    assert OrganisationFacts.objects.get(organisation=tree.union_a1).has_congress
    assert client.get(reverse("congress:facts_edit", args=[tree.union_b1.pk])).status_code == 404
    client.force_login(tree.reviewer_b)
    assert client.get(url).status_code == 404
    client.force_login(tree.reviewer_a)
    assert client.get(url).status_code == 403
