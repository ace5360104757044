"""What the engine derives for a process that states only its fields
(tests/engine/toy/api.py): its cases and filters from its case list, its
files (attachments, certificates through the engine's document view), the
steps decided through the API from the declaration, and the words its
history uses from the declared decisions' labels."""

from dataclasses import replace
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tests.engine.toy.declaration import TOY
from tests.engine.toy.models import ToyState as S
from workflows.api import render
from workflows.api.tokens import do_create_api_token
from workflows.attachments.services import attach
from workflows.audit import OTHER_ACTION, action_label
from workflows.documents.round_certificates import issue_round_certificate
from workflows.models import ApiScope, Attachment
from workflows.steps.declaration import Decision, Step
from workflows.steps.registry import CaseApi, declared_action_labels


def bearer(user):
    _token, secret = do_create_api_token(account=user, name="test", scope=ApiScope.READ, acting_user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_list_and_its_filters_are_the_case_lists(people, journey, client):
    mine, other = journey.submitted(title="甲一厂申请"), journey.new(title="草稿")
    api = bearer(people.reviewer)
    data = api.get(reverse("api:process", args=["toy"])).json()
    assert [(f["name"], f["description"]) for f in data["filters"]] == [
        ("q", "搜索"), ("state", "状态"), ("organisation", "Unit")]
    client.force_login(people.reviewer)
    for query in ({}, {"q": "甲一"}, {"state": S.SUBMITTED}, {"state": S.DRAFT}, {"q": "nobody"}):
        listed = api.get(reverse("api:cases", args=["toy"]), query).json()["results"]
        shown = client.get(reverse("toy_list"), query).context["page_obj"].object_list
        assert [c["id"] for c in listed] == [c.pk for c in shown], query
    listed = api.get(reverse("api:cases", args=["toy"]), {"state": S.SUBMITTED}).json()["results"]
    assert [c["id"] for c in listed] == [mine.pk] and other.state == S.DRAFT


def test_the_steps_decided_through_the_api_are_those_of_no_page_of_their_own(people, journey):
    data = bearer(people.reviewer).get(reverse("api:process", args=["toy"])).json()
    assert {s["name"]: s["decided_through_api"] for s in data["steps"]} == {
        "review": True, "inspect": True, "notice": False, "decide": True, "revise": True}
    # A step decided on a form of its own (scores, inspectors) is not.
    on_a_form = replace(TOY, steps=tuple(replace(s, form_url=lambda case: "/form/") if s.name == "inspect" else s
                                         for s in TOY.steps))
    assert render.decision_steps(on_a_form, CaseApi(fields=list)) == ("review", "decide", "revise")
    assert render.decision_steps(TOY, CaseApi(fields=list, decision_steps=("decide",))) == ("decide",)
    case = journey.submitted()
    decisions = bearer(people.reviewer).get(reverse("api:case", args=["toy", case.pk])).json()["decisions"]
    assert {d["code"] for d in decisions} == {"approve", "return", "reject"}


def test_a_cases_files_are_its_attachments_and_certificates(people, journey):
    case = journey.submitted()
    attach(case, [Attachment(file=ContentFile(b"%PDF-1.4", name="a.pdf"), original_name="证明材料.pdf",
                             content_type="application/pdf", size=8, sha256="0" * 64)], actor=people.submitter)
    round_ = SimpleNamespace(code="toy-2025", district=people.district, take_certificate_number=lambda: (1, "示001号"))
    certificate = issue_round_certificate(
        case, round_, actor=people.admin, holder_name=case.title, award_title="先进集体", issuer="示范区总工会",
        layout="default", owner=case.organisation, audit_code="toy.certificate.issued", role="district_admin")
    url = reverse("api:case", args=["toy", case.pk])
    attachment = Attachment.objects.get(case_id=case.pk)
    shown = [(d["kind"], d["title"], d["page_url"]) for d in bearer(people.admin).get(url).json()["documents"]]
    assert shown == [("attachment", "证明材料.pdf", reverse("attachment_download", args=[attachment.pk])),
                     ("certificate", "示001号", reverse("certificate_pdf", args=[certificate.pk]))]
    # The union between (the town) sees the case but takes no copy of its certificate.
    assert [d["kind"] for d in bearer(people.reviewer).get(url).json()["documents"]] == ["attachment"]


def test_the_history_names_a_decision_by_its_button(people, journey):
    case = journey.in_inspection()
    history = bearer(people.reviewer).get(reverse("api:case", args=["toy", case.pk])).json()["history"]
    assert history[-1]["action"] == "toy.case.approve" and history[-1]["action_label"] == "Approve"
    assert str(action_label("toy.case.return")) == "Return"
    # A transition without a label has no words of its own: the process registers them.
    assert action_label("toy.case.submit") is OTHER_ACTION


def test_a_code_recorded_under_buttons_of_different_labels_gets_none():
    grants = Step("grant", "Grant", states=(S.NOTICE_PASSED,), actor=None, decisions=(
        Decision("model", S.ACCEPTED, "Name a model", action="toy.case.granted"),
        Decision("fit", S.ACCEPTED, "Name as fit", action="toy.case.granted"),
        Decision("decline", S.REJECTED, "Decline")))
    labels = declared_action_labels(replace(TOY, steps=(grants,), transitions=()))
    assert labels == {"toy.case.decline": "Decline"}
