"""What a campaign of a kind ends in: one certificate per granted case,
numbered from the version's format and worded from the case, stamped once
revoked, never two with one number; the approved and payment lists (PDF
and Excel) with the amounts summed per union; other districts kept out."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.kinds import services
from awards.kinds.endings import certificates_of
from awards.kinds.models import KindCaseState as S
from awards.roles import Role
from tests.awards.kinds.conftest import FIELDS, definition, hand_in
from tests.concurrency import RACE_MARKS, run_together
from tests.conftest import make_org, make_user
from tests.workflows.test_documents import pdf_text
from workflows.documents.services import certificate_revoke
from workflows.models import Certificate, OrgKind
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db

CERTIFICATE = {"layout": "default", "title": "优秀工会工作者", "issuer": "示范区总工会",
               "wording": "{name}同志（{union}）在{year}年度{campaign}中被评为{title}。",
               "number_format": "YX{year}-{seq:03d}"}
AMOUNT = {"key": "amount", "type": "money", "label": "资助金额", "required": True}


def _kind(tree, code, *, certificate=CERTIFICATE, payment=False):
    data = definition(steps=())
    data["ends_in"] = {"certificate": certificate, "approved_list": True, "payment_list": payment}
    if payment:
        data["fields"] = [*FIELDS, AMOUNT]
    return services.do_create_kind(district=tree.district, code=code, definition=data, actor=tree.admin_d)


def _to_decision(tree, case):
    case = decide(case=case, actor=tree.reviewer_d, decision="approve")
    assert case.state == S.DECIDING
    return case


def _grant(tree, case):
    return decide(case=_to_decision(tree, case), actor=tree.admin_d, decision="outcome_1")


def test_a_granted_case_gets_one_certificate_numbered_and_worded_from_the_case(
        client, tree, open_campaign, django_capture_on_commit_callbacks):
    campaign = open_campaign(_kind(tree, "cert"))
    first = hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter, n=1)
    second = hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter, n=2)
    refused = hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter, n=3)
    with django_capture_on_commit_callbacks(execute=True):
        _grant(tree, first)
        _grant(tree, second)
        decide(case=_to_decision(tree, refused), actor=tree.admin_d, decision="outcome_2")

    [one] = certificates_of(first)
    [two] = certificates_of(second)
    assert not certificates_of(refused).exists()
    assert (one.number, two.number) == ("YX2026-001", "YX2026-002")
    assert one.wording == f"候选人1同志（{tree.union_a1.name}）在2026年度{campaign.title}中被评为优秀工会工作者。"
    assert one.owner_organisation == tree.union_a1 and one.issuer == "示范区总工会"

    # The case page links the engine's download; the PDF carries the wording and number.
    client.force_login(tree.submitter)
    page = client.get(first.get_absolute_url()).content.decode()
    download = reverse("certificate_pdf", args=[one.pk])
    assert download in page and "YX2026-001" in page
    answer = client.get(download)
    assert answer.status_code == 200
    _reader, text = pdf_text(b"".join(answer.streaming_content))
    flat = "".join(text.split())
    assert "YX2026-001" in flat and "候选人1同志" in flat and tree.union_a1.name in flat

    # Revoked: the download is stamped 已撤销.
    certificate_revoke(certificate=one, actor=tree.admin_d, reason="弄虚作假")
    _reader, text = pdf_text(b"".join(client.get(download).streaming_content))
    assert "已撤销" in "".join(text.split())


def test_a_kind_without_a_certificate_issues_none(tree, open_campaign):
    campaign = open_campaign(_kind(tree, "nocert", certificate=None))
    case = _grant(tree, hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter))
    assert case.state == S.GRANTED and not certificates_of(case).exists()


@RACE_MARKS[0]
@RACE_MARKS[1]
def test_two_grants_at_the_same_moment_never_share_a_number(tree, open_campaign):
    campaign = open_campaign(_kind(tree, "race"))
    cases = [_to_decision(tree, hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter, n=n))
             for n in (1, 2, 3)]
    outcomes = run_together(cases, lambda: None,
                            lambda case, _seen: decide(case=case, actor=tree.admin_d, decision="outcome_1"))
    assert outcomes == ["won", "won", "won"]
    numbers = sorted(Certificate.objects.filter(series=f"kinds-{campaign.pk}").values_list("number", flat=True))
    assert numbers == ["YX2026-001", "YX2026-002", "YX2026-003"]


def _payment_campaign(tree, open_campaign):
    campaign = open_campaign(_kind(tree, "aid", certificate=None, payment=True))
    granted = []
    for n, (union, submitter, amount) in enumerate(
            [(tree.union_a1, tree.submitter, "1000.50"), (tree.union_a1, tree.submitter, "200.25"),
             (tree.union_b1, tree.submitter_b, "300.00"), (tree.union_b1, tree.submitter_b, "999.00")], start=1):
        case = hand_in(campaign, organisation=union, submitter=submitter, n=n)
        case.answers["amount"] = amount
        case.save(update_fields=["answers"])
        granted.append(case)
    for case in granted[:3]:
        _grant(tree, case)
    # The fourth is refused: not on the list.
    decide(case=_to_decision(tree, granted[3]), actor=tree.admin_d, decision="outcome_2")
    return campaign


def test_the_payment_list_sums_the_amounts_per_union(client, tree, open_campaign):
    campaign = _payment_campaign(tree, open_campaign)
    client.force_login(tree.admin_d)
    page = client.get(reverse("kinds:campaign_detail", args=[campaign.pk])).content.decode()
    assert reverse("kinds:payment_list", args=[campaign.pk, "xlsx"]) in page

    answer = client.get(reverse("kinds:payment_list", args=[campaign.pk, "xlsx"]))
    assert answer.status_code == 200
    ws = load_workbook(io.BytesIO(answer.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    subtotals = [r[2] for r in rows if r[1] in ("小计", "Subtotal")]
    assert [float(v) for v in subtotals] == [1200.75, 300.0]
    assert float(next(r[2] for r in rows if r[1] in ("合计", "Total"))) == 1500.75
    assert not any(r[1] == "候选人4" for r in rows)

    answer = client.get(reverse("kinds:payment_list", args=[campaign.pk, "pdf"]))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    _reader, text = pdf_text(answer.content)
    flat = "".join(text.split())
    assert "1200.75" in flat and "300.00" in flat and "1500.75" in flat and "候选人4" not in flat

    # The intermediate union sees its branch only.
    client.force_login(tree.reviewer_a)
    ws = load_workbook(io.BytesIO(client.get(reverse("kinds:payment_list", args=[campaign.pk, "xlsx"])).content)).active
    names = [row[1].value for row in ws.iter_rows()]
    assert "候选人1" in names and "候选人3" not in names


def test_the_approved_list_names_the_granted_cases(client, tree, open_campaign):
    campaign = _payment_campaign(tree, open_campaign)
    client.force_login(tree.admin_d)
    ws = load_workbook(io.BytesIO(client.get(reverse("kinds:approved_list", args=[campaign.pk, "xlsx"])).content)).active
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert {"候选人1", "候选人2", "候选人3", tree.union_b1.name} <= set(cells) and "候选人4" not in cells
    # Public fields only: never the ID number.
    assert not any(isinstance(v, str) and v.startswith("110101") for v in cells)
    _reader, text = pdf_text(client.get(reverse("kinds:approved_list", args=[campaign.pk, "pdf"])).content)
    assert "候选人3" in "".join(text.split())


def test_the_lists_are_a_404_outside_the_district_and_below_the_branch(client, tree, open_campaign):
    campaign = _payment_campaign(tree, open_campaign)
    other = make_org("邻区总工会", "other-district", OrgKind.DISTRICT)
    outsiders = [make_user("admin_other", (other, Role.DISTRICT_ADMIN)), tree.submitter, tree.chair]
    for user in outsiders:
        client.force_login(user)
        for name in ("kinds:approved_list", "kinds:payment_list"):
            for fmt in ("pdf", "xlsx"):
                assert client.get(reverse(name, args=[campaign.pk, fmt])).status_code == 404, (user, name)
    client.force_login(tree.admin_d)
    assert client.get(reverse("kinds:payment_list", args=[campaign.pk, "csv"])).status_code == 404


def test_a_revoked_certificate_is_reissued_with_the_next_number_by_the_district_only(client, tree, open_campaign):
    campaign = open_campaign(_kind(tree, "reissue"))
    case = _grant(tree, hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter))
    [first] = certificates_of(case)
    url = reverse("kinds:certificate_reissue", args=[first.pk])
    client.force_login(tree.admin_d)
    assert client.post(url, {"comment": "x"}).status_code == 200  # not revoked: refused, nothing made
    assert certificates_of(case).count() == 1
    certificate_revoke(certificate=first, actor=tree.admin_d, reason="信息有误")
    # The engine's certificate page offers the reissue.
    assert url in client.get(reverse("certificate_detail", args=[first.pk])).content.decode()
    client.force_login(tree.submitter)
    assert client.post(url, {"comment": "x"}).status_code in (403, 404)
    client.force_login(tree.admin_d)
    answer = client.post(url, {"comment": "更正姓名"})
    new = certificates_of(case).first()
    assert answer.status_code == 302 and answer["Location"] == reverse("certificate_detail", args=[new.pk])
    assert new.number == "YX2026-002" and not new.is_revoked
    first.refresh_from_db()
    assert first.is_revoked


def test_the_lists_take_as_many_queries_for_many_rows_as_for_one(client, tree, open_campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = open_campaign(_kind(tree, "count", certificate=None, payment=True))
    client.force_login(tree.admin_d)

    def queries():
        counts = []
        for name in ("kinds:approved_list", "kinds:payment_list"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name, args=[campaign.pk, "xlsx"])).status_code == 200
            counts.append(len(ctx))
        return counts

    _grant(tree, hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter, n=1))
    one = queries()
    for n, union, submitter in ((2, tree.union_a1, tree.submitter), (3, tree.union_b1, tree.submitter_b),
                                (4, tree.union_b1, tree.submitter_b)):
        _grant(tree, hand_in(campaign, organisation=union, submitter=submitter, n=n))
    assert queries() == one


def test_a_grant_keeps_its_outcome_and_one_valid_certificate_per_case(tree, open_campaign):
    """The grant writes the outcome with the case's new state (one UPDATE)
    and does not ask whether the case holds a certificate: the database's
    one-valid-certificate-per-case constraint refuses a second one. A
    reissue still asks, and refuses a second reissue of the same revoked
    certificate."""
    from django.db import IntegrityError, transaction

    from awards.kinds.endings import certificate_reissue, issue_certificate
    from awards.kinds.models import KindCase
    from workflows.exceptions import AlreadyHandled

    campaign = open_campaign(_kind(tree, "once"))
    case = _grant(tree, hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter))
    stored = KindCase.objects.get(pk=case.pk)
    assert (stored.state, stored.outcome) == (S.GRANTED, "granted")
    [first] = certificates_of(case)

    with pytest.raises(IntegrityError), transaction.atomic():
        issue_certificate(stored, tree.admin_d, unless_held=False)
    assert [c.number for c in certificates_of(case)] == ["YX2026-001"]

    certificate_revoke(certificate=first, actor=tree.admin_d, reason="信息有误")
    new = certificate_reissue(certificate=first, actor=tree.admin_d, comment="更正")
    assert new.number == "YX2026-002"
    with pytest.raises(AlreadyHandled):
        certificate_reissue(certificate=first, actor=tree.admin_d, comment="再次")
    assert sorted(c.number for c in certificates_of(case) if not c.is_revoked) == ["YX2026-002"]
