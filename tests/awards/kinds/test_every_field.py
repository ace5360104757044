"""A case of a kind with every field of the palette, returned for
revision: its revision form starts from the answers given (a yes or no and
an organisation included, which the form did not take back before: the
submitter had to choose them again, and an organisation could not be
named at all), and handing it in again keeps them."""

import pytest
from django.urls import reverse

from awards.kinds import cases as case_services
from awards.kinds import services
from awards.kinds.models import KindCaseState as S
from workflows.models import Organisation
from workflows.steps.decisions import decide

from .conftest import definition
from .generated import answers, every_field, open_campaign

pytestmark = pytest.mark.django_db


def test_the_revision_form_starts_from_every_answer_and_keeps_them(client, tree):
    version = services.do_create_kind(district=tree.district, code="every-field",
                                      definition=definition(fields=every_field()), actor=tree.admin_d)
    campaign = open_campaign(version, tree.admin_d)
    data, files = answers(version, 1, name="钱明")
    data["unit"] = tree.union_a1.pk
    form = case_services.form_class(version, organisations=Organisation.objects.filter(pk=tree.union_a1.pk))(
        data, files)
    assert form.is_valid(), form.errors
    case = case_services.do_create_case(campaign=campaign, organisation=tree.union_a1, name="钱明", form=form,
                                        actor=tree.submitter, submit=True)
    assert case.answers["member"] is True and case.answers["unit"] == {"id": tree.union_a1.pk, "name": "甲一机械厂工会"}
    decide(case=case, actor=tree.chair, decision="confirm")
    case.refresh_from_db()
    decide(case=case, actor=tree.reviewer_a, decision="return", comment="请补充材料。")
    case.refresh_from_db()
    assert case.state == S.RETURNED

    client.force_login(tree.submitter)
    url = reverse("kinds:case_revise", args=[case.pk])
    page = client.get(url).content.decode()
    assert '<option value="yes" selected>' in page
    assert f'<option value="{tree.union_a1.pk}" selected>甲一机械厂工会</option>' in page
    assert 'value="front_line" selected' in page and 'value="100.00"' in page

    posted = {f"answers-{key}": value for key, value in data.items()}
    posted.update({"answers-deeds": "补充了近三年的工作材料。", "version": case.version})
    response = client.post(url, posted)
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.state == S.CONFIRMING and case.round == 2
    assert case.answers["unit"] == {"id": tree.union_a1.pk, "name": "甲一机械厂工会"}
    assert case.answers["member"] is True and case.answers["deeds"] == "补充了近三年的工作材料。"


def test_the_approved_list_shows_the_public_answers_as_the_page_does(client, tree):
    """A public choice by its label, not its stored code."""
    import io

    from openpyxl import load_workbook

    fields = [dict(f, public=True) if f["type"] in ("money", "yes_no", "multiple_choice", "date") else f
              for f in every_field()]
    version = services.do_create_kind(district=tree.district, code="public-answers",
                                      definition=definition(fields=fields, steps=()), actor=tree.admin_d)
    campaign = open_campaign(version, tree.admin_d)
    data, files = answers(version, 2, name="孔华")
    form = case_services.form_class(version)(data, files)
    assert form.is_valid(), form.errors
    case = case_services.do_create_case(campaign=campaign, organisation=tree.union_a1, name="孔华", form=form,
                                        actor=tree.submitter, submit=True)
    decide(case=case, actor=tree.reviewer_d, decision="approve")
    case.refresh_from_db()
    decide(case=case, actor=tree.admin_d, decision="outcome_1")
    client.force_login(tree.admin_d)
    sheet = load_workbook(io.BytesIO(client.get(reverse("kinds:approved_list", args=[campaign.pk, "xlsx"])).content))
    cells = {c.value for row in sheet.active.iter_rows() for c in row}
    assert {"孔华", "一线职工", "市级", "是", "¥100.00", "2024-05-01"} <= cells
    assert "front_line" not in cells and "True" not in cells
