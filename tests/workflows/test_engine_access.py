"""Who reaches the engine's pages. Every object here belongs to town A's
branch (union_a1), on May Day's campaign kinds: the other branch and
outsiders get 404, people who see it but may not act get 403, anonymous
visitors are sent to log in; a refused request changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from awards.kinds.flows import KindCaseFlow
from awards.kinds.models import KindCase
from awards.kinds.models import KindCaseState as S
from awards.kinds.notices import do_publish_notice
from workflows.models import Quota
from workflows.organisations.delegation import delegation_create
from workflows.steps.decisions import decide
from workflows.steps.inbox import step_key
from workflows.steps.tasks import open_tasks
from workflows.models import Delegation, Notification, NoticeStatus, Objection, ObjectionStatus, PublicNotice
from workflows.notices.services import entry_of, lodge_objection

PERSONAS = ["submitter", "chair", "reviewer_a", "reviewer_b", "reviewer_d", "admin_d", "outsider", "anonymous"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# Objects of town A's branch -----------------------------------------------------------

def confirmed(tree, request):
    case = request.getfixturevalue("make_mayday_case")()
    decide(decision="confirm", case=case, actor=tree.chair)
    return case


def at_signoff(tree, request):
    request.getfixturevalue("departments")
    campaign = request.getfixturevalue("open_mayday")("mayday-signoffs", signoffs=True)
    case = request.getfixturevalue("make_mayday_case")(campaign=campaign)  # a non-public enterprise's worker
    for user, code in ((tree.chair, "confirm"), (tree.reviewer_a, "forward"), (tree.reviewer_d, "approve")):
        decide(decision=code, case=case, actor=user)
    assert case.state == S.SIGNOFFS
    return case


def awaiting_notice(tree, request):
    case = request.getfixturevalue("make_mayday_case")(sector="institution")
    for user, code in ((tree.chair, "confirm"), (tree.reviewer_a, "forward"), (tree.reviewer_d, "approve")):
        decide(decision=code, case=case, actor=user)
    assert case.state == S.AWAITING_NOTICE
    return case


def on_notice(tree, request):
    case = awaiting_notice(tree, request)
    do_publish_notice(campaign=case.campaign, actor=tree.admin_d)
    entry = entry_of(case)
    lodge_objection(entry=entry, objector_kind="person", person_name="王五", contact="13900000000", text="不实")
    lodge_objection(entry=entry, objector_kind="unit", unit_name="某某公司", contact="023-1", text="不实",
                    seal_scan=SimpleUploadedFile("公章.png", PNG, content_type="image/png"))
    return case


def delegated(tree, request):
    today = timezone.localdate()
    delegation_create(principal=tree.reviewer_a, substitute=tree.reviewer_a2, starts_on=today, ends_on=today,
                      actor=tree.reviewer_a)
    return None


def notified(tree, request):
    request.getfixturevalue("make_mayday_case")()  # the chair is told to confirm it
    return None


def notice_of(n):
    return entry_of(n).notice


def person_objection(n):
    return Objection.objects.get(entry__notice=notice_of(n), objector_kind="person")


def unit_objection(n):
    return Objection.objects.get(entry__notice=notice_of(n), objector_kind="unit")


def share_post(tree):
    """Town A's share page as posted: one of its medals' places to union A1."""
    return {"action": "quotas", **{f"share-{org.pk}-mayday-{kind}": "1" if (org, kind) == (tree.union_a1, "individual")
                                   else "0" for org in (tree.union_a1, tree.union_a2)
                                   for kind in ("unit", "individual", "team")}}


# Where May Day answered 403 to someone who sees the campaign but may not act,
# the kinds' pages of the district's administration (publishing the notice)
# and of an intermediate union's places (its share page, by the town's id in
# the address) answer 404 to anyone else: refused alike, nothing changed, and
# the address does not tell whether the campaign or the town's share exists.
# view: (builder, request(tree, campaign, case) → (method, url, data), expected per persona but anonymous,
#        unchanged(tree, case) → True when nothing changed, or None)
VIEWS = {
    "signoff": (
        at_signoff, lambda t, c, n: ("get", reverse("kinds:case_signoff", args=[n.pk]), None),
        [403, 403, 403, 404, 403, 403, 404], None,
    ),
    "signoff_post": (
        at_signoff, lambda t, c, n: ("post", reverse("kinds:case_signoff", args=[n.pk]), {"agreed": "1"}),
        [403, 403, 403, 404, 403, 403, 404],
        lambda t, n: KindCase.objects.get(pk=n.pk).state == S.SIGNOFFS,
    ),
    "share_places": (
        None, lambda t, c, n: ("get", reverse("kinds:campaign_share", args=[c.pk, t.town_a.pk]), None),
        [404, 404, 200, 404, 404, 200, 404], None,
    ),
    "share_places_post": (
        None,
        lambda t, c, n: ("post", reverse("kinds:campaign_share", args=[c.pk, t.town_a.pk]), share_post(t)),
        [404, 404, 302, 404, 404, 302, 404],
        lambda t, n: not Quota.objects.filter(parent__isnull=False).exists(),
    ),
    "open_notice": (
        awaiting_notice, lambda t, c, n: ("post", reverse("kinds:campaign_notice", args=[c.pk]), {"confirmed": "1"}),
        [404, 404, 404, 404, 404, 302, 404],
        lambda t, n: not PublicNotice.objects.exists(),
    ),
    "notice_manage": (
        on_notice, lambda t, c, n: ("get", reverse("notice_manage", args=[notice_of(n).pk]), None),
        [404, 404, 404, 404, 200, 200, 404], None,
    ),
    "notice_close": (
        on_notice, lambda t, c, n: ("post", reverse("notice_close", args=[notice_of(n).pk]), None),
        # The administrator is told the window still runs (a message, redirected).
        [404, 404, 404, 404, 403, 302, 404],
        lambda t, n: notice_of(n).status == NoticeStatus.OPEN,
    ),
    "objection_detail": (
        on_notice, lambda t, c, n: ("get", reverse("notice_objection", args=[person_objection(n).pk]), None),
        [404, 404, 404, 404, 403, 200, 404], None,
    ),
    "objection_finding": (
        on_notice,
        lambda t, c, n: ("post", reverse("notice_objection", args=[person_objection(n).pk]),
                         {"upheld": "0", "finding": "不属实"}),
        [404, 404, 404, 404, 403, 302, 404],
        lambda t, n: person_objection(n).status == ObjectionStatus.OPEN,
    ),
    "seal_download": (
        on_notice, lambda t, c, n: ("get", reverse("objection_seal", args=[unit_objection(n).pk]), None),
        [404, 404, 404, 404, 403, 200, 404], None,
    ),
    "reassign": (
        confirmed, lambda t, c, n: ("get", reverse("task_reassign", args=[open_tasks(n).get().pk]), None),
        [404, 404, 403, 404, 403, 200, 404], None,
    ),
    "reassign_post": (
        confirmed,
        lambda t, c, n: ("post", reverse("task_reassign", args=[open_tasks(n).get().pk]),
                         {"to_user": t.reviewer_a2.pk, "reason": "出差"}),
        [404, 404, 403, 404, 403, 302, 404],
        lambda t, n: open_tasks(n).get().owner_id is None,
    ),
    "delegations": (
        None, lambda t, c, n: ("get", reverse("delegations"), None),
        [200, 200, 200, 200, 200, 200, 200], None,
    ),
    "delegation_end": (
        delegated,
        lambda t, c, n: ("post", reverse("delegation_end", args=[Delegation.objects.get().pk]), None),
        [404, 404, 302, 404, 404, 302, 404],
        lambda t, n: Delegation.objects.get().revoked_at is None,
    ),
    "conflicts": (
        None, lambda t, c, n: ("get", reverse("conflicts"), None),
        [200, 200, 200, 200, 200, 200, 200], None,
    ),
    "notifications": (
        notified, lambda t, c, n: ("get", reverse("notifications"), None),
        [200, 200, 200, 200, 200, 200, 200], None,
    ),
    "notification_open": (
        notified,
        lambda t, c, n: ("get", reverse("notification_open", args=[Notification.objects.get(user=t.chair).pk]), None),
        [404, 302, 404, 404, 404, 404, 404],
        lambda t, n: Notification.objects.get(user=t.chair).read_at is None,
    ),
}

CASES = [pytest.param(view, persona, id=f"{view}-{persona}") for view in VIEWS for persona in PERSONAS]


@pytest.mark.parametrize("view,persona", CASES)
def test_engine_access(view, persona, tree, mayday_campaign, request, client):
    build, request_of, expected, unchanged = VIEWS[view]
    case = build(tree, request) if build else None
    method, url, data = request_of(tree, mayday_campaign, case)
    if persona != "anonymous":
        client.force_login(getattr(tree, persona))

    response = getattr(client, method)(url, data or {})

    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected[PERSONAS.index(persona)]
    if unchanged is not None and (persona == "anonymous" or response.status_code != 302):
        assert unchanged(tree, case)


# Bulk decisions report per case: another branch's case reads as not found
# (404), a case seen but not theirs as refused (403).
BULK_EXPECTED = ["refused", "refused", "done", "missing", "refused", "refused", "missing"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_bulk_decide_access(persona, tree, request, client):
    n = confirmed(tree, request)
    if persona != "anonymous":
        client.force_login(getattr(tree, persona))
    response = client.post(reverse("inbox_bulk"), {
        "step": step_key(KindCaseFlow.instance.node("intermediate_review")), "items": [f"{n.pk}:{n.version}"],
        "action": "forward", "comment": "同意"})
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert KindCase.objects.get(pk=n.pk).state == S.INTERMEDIATE
        return
    assert response.status_code == 200
    status = BULK_EXPECTED[PERSONAS.index(persona)]
    assert [o.status for o in response.context["outcomes"]] == [status]
    expected_state = S.DISTRICT if status == "done" else S.INTERMEDIATE
    assert KindCase.objects.get(pk=n.pk).state == expected_state


def test_the_department_officer_reaches_the_signoff_page(tree, request, client):
    n = at_signoff(tree, request)
    client.force_login(get_user_model().objects.get(username="officer_tax"))
    assert client.get(reverse("kinds:case_signoff", args=[n.pk])).status_code == 200


# Query strings are URL-encoded ---------------------------------------------------------

def test_notification_list_keeps_its_filters_encoded_across_pages(tree, client):
    for i in range(30):
        Notification.objects.create(user=tree.chair, title=f"R&D=1 #{i}")
    client.force_login(tree.chair)
    response = client.get(reverse("notifications"), {"show": "unread", "q": "R&D=1 #"})
    assert response.context["page_obj"].paginator.count == 30
    encoded = urlencode([("show", "unread"), ("q", "R&D=1 #")])
    assert response.context["query_string"] == encoded == "show=unread&q=R%26D%3D1+%23"
    assert f'href="?{encoded.replace("&", "&amp;")}&amp;page=2"' in response.content.decode()
    page_two = client.get(f"{reverse('notifications')}?{encoded}&page=2")
    assert page_two.context["q"] == "R&D=1 #" and len(page_two.context["page_obj"].object_list) == 5


def test_inbox_query_string_is_encoded(tree, make_mayday_case, client):
    n = make_mayday_case(name="张&三")
    client.force_login(tree.chair)
    response = client.get("/inbox/", {"q": "张&三"})
    assert response.context["page_obj"].paginator.count == 1
    assert response.context["query_string"] == urlencode({"q": "张&三"}) == "q=%E5%BC%A0%26%E4%B8%89"
    assert n.state == S.CONFIRMING
