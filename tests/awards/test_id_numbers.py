"""Resident ID numbers: in full to the district and to the departments
asked for a sign-off (page and A3 form), masked to everyone else, and every
view of a full number recorded on the case."""

import io

from django.urls import reverse
from pypdf import PdfReader

from awards.mayday.id_numbers import ID_NUMBER_VIEWED
from workflows.models import AuditEntry

from .test_rules import approve_up

FULL = "110101198503011234"
MASKED = "110***********1234"


def _page(client, user, nomination, **params):
    client.force_login(user)
    return client.get(reverse("awards:nomination_detail", args=[nomination.pk]), params)


def _form_text(client, user, nomination):
    client.force_login(user)
    response = client.get(reverse("awards:recommendation_form", args=[nomination.pk]))
    assert response.status_code == 200
    data = response.content
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "").replace("\n", "")


def _views(nomination):
    return list(AuditEntry.objects.filter(object_id=nomination.pk, action=ID_NUMBER_VIEWED).order_by("pk"))


def test_district_sees_the_full_number_on_request_and_it_is_recorded(client, tree, make_nomination):
    nomination = approve_up(tree, make_nomination(sector="institution", org=tree.union_a1))
    for user in (tree.admin_d, tree.reviewer_d):
        body = _page(client, user, nomination).content.decode()
        assert MASKED in body and FULL not in body and 'href="?id=full"' in body
        body = _page(client, user, nomination, id="full").content.decode()
        assert FULL in body
    entries = _views(nomination)
    assert [(e.actor, e.data["where"]) for e in entries] == [(tree.admin_d, "page"), (tree.reviewer_d, "page")]
    assert entries[0].role == "district_admin" and entries[1].role == "reviewer"
    assert entries[0].organisation == tree.district and entries[0].created is not None

    assert FULL in _form_text(client, tree.admin_d, nomination)
    assert _views(nomination)[-1].data["where"] == "recommendation_form"


def test_department_officer_asked_for_a_signoff_sees_it_on_page_and_form(client, tree, make_nomination, departments):  # noqa: F811
    nomination = approve_up(tree, make_nomination())  # non-public: tax and safety are asked
    officer = departments["tax"]
    assert FULL in _page(client, officer, nomination, id="full").content.decode()
    assert FULL in _form_text(client, officer, nomination)
    assert [(e.actor, e.role, e.data["where"]) for e in _views(nomination)] == [
        (officer, "department", "page"), (officer, "department", "recommendation_form"),
    ]
    # A department not asked for this case does not see the case at all.
    assert _page(client, departments["audit"], nomination).status_code == 404


def test_everyone_else_sees_it_masked_and_nothing_is_recorded(client, tree, make_nomination):
    nomination = approve_up(tree, make_nomination(sector="institution"))
    for user in (tree.submitter, tree.chair, tree.reviewer_a):
        response = _page(client, user, nomination, id="full")
        body = response.content.decode()
        assert response.status_code == 200 and MASKED in body and FULL not in body and 'href="?id=full"' not in body
        text = _form_text(client, user, nomination)
        assert MASKED in text and FULL not in text
    # A submitter of another branch never sees the case.
    assert _page(client, tree.submitter_b, nomination, id="full").status_code == 404
    assert _views(nomination) == []
