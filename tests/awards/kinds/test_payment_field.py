"""Which amount a payment list pays. An aid form often has two money
fields: the family's income per head and the amount asked for. The
payment list used to pay the first money field of the form, so a kind set
up in the natural order (income first) paid each family its income (found
walking the aid kind through the browser). The ending now names the field
it pays; with several money fields the editor refuses to guess."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from awards.kinds import services
from awards.kinds.definition import problems_of_kind
from awards.kinds.models import CampaignKind
from tests.awards.kinds.conftest import definition, hand_in
from tests.awards.kinds.test_kinds import editor_post
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db

INCOME = {"key": "income", "type": "money", "label": "家庭人均月收入（元）", "required": True}
AMOUNT = {"key": "amount", "type": "money", "label": "申请金额（元）", "required": True}
NAME = {"key": "name", "type": "text", "label": "职工姓名", "required": True}


def aid(**ending):
    data = definition(template="aid", steps=(), fields=[NAME, INCOME, AMOUNT])
    data["ends_in"] = {"certificate": None, "approved_list": False, "payment_list": True, **ending}
    return data


def places(data):
    return [place for place, _message in problems_of_kind(data)]


def test_several_money_fields_need_the_paid_one_named_and_it_must_be_one_of_them():
    assert places(aid()) == ["ends_in.payment_field"]
    assert places(aid(payment_field="name")) == ["ends_in.payment_field"]  # not money
    assert places(aid(payment_field="nope")) == ["ends_in.payment_field"]
    assert places(aid(payment_field="amount")) == []
    # One money field: it is the one paid, nothing to name (kinds saved before stay sound).
    one = definition(template="aid", steps=(), fields=[NAME, AMOUNT])
    one["ends_in"] = {"certificate": None, "approved_list": False, "payment_list": True}
    assert places(one) == []


def test_the_payment_list_pays_the_named_field_not_the_first_money_field(client, tree, open_campaign):
    version = services.do_create_kind(district=tree.district, code="aid", definition=aid(payment_field="amount"),
                                      actor=tree.admin_d)
    campaign = open_campaign(version)
    case = hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter)
    case.answers.update(income="1350.00", amount="4000.00")
    case.save(update_fields=["answers"])
    for actor, code in ((tree.chair, "confirm"), (tree.reviewer_d, "approve"), (tree.admin_d, "outcome_1")):
        case = decide(case=case, actor=actor, decision=code)
    assert case.state == "granted"

    client.force_login(tree.admin_d)
    answer = client.get(reverse("kinds:payment_list", args=[campaign.pk, "xlsx"]))
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(answer.content)).active.iter_rows()]
    assert any("申请金额（元）" in row for row in rows) and not any("家庭人均月收入（元）" in row for row in rows)
    amounts = [float(r[2]) for r in rows if r[1] in ("候选人1", "小计", "合计")]
    assert amounts == [4000.0, 4000.0, 4000.0]


def test_the_editor_asks_which_money_field_is_paid_and_keeps_what_was_typed(client, tree):
    client.force_login(tree.admin_d)
    post = editor_post(**{
        "code": "zhuxue", "title": "助学", "applicant": "worker", "route": "aid", "steps": [], "notice_days": "",
        "certificate": "", "approved_list": "", "payment_list": "on",
        "fields-1-key": "income", "fields-1-type": "money", "fields-1-label": "家庭人均月收入",
        "fields-2-key": "amount", "fields-2-type": "money", "fields-2-label": "申请金额",
    })
    with translation.override("zh-hans"):
        refused = client.post(reverse("kinds:create"), post, HTTP_ACCEPT_LANGUAGE="zh-hans")
        expected = translation.gettext("Amount paid (key of a money field)")
    assert refused.status_code == 400 and not CampaignKind.objects.exists()
    page = refused.content.decode()
    alert = page[page.index('role="alert"'):]
    assert expected in alert[:alert.index("</div>")]
    assert 'value="申请金额"' in page

    saved = client.post(reverse("kinds:create"), {**post, "payment_field": "amount"})
    assert saved.status_code == 302
    version = CampaignKind.objects.get(code="zhuxue").versions.get()
    assert version.definition["ends_in"]["payment_field"] == "amount"
    # Opened again for editing, the editor shows the field named.
    form = client.get(reverse("kinds:edit", args=[version.kind_id])).content.decode()
    assert 'name="payment_field" value="amount"' in form
