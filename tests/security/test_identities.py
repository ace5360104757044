"""Accounts of the union's identity service matched to EXISTING accounts:
by a link a district administrator makes, or by a configured verified
claim naming an existing account; never created, never given a role."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import make_org, make_user
from workflows.models import AuditEntry, ExternalIdentity, Membership, OrgKind
from workflows.organisations.roles import ADMINISTRATOR
from workflows.security import identities
from workflows.security.identities import find_user_for

OIDC = "oidc"


def test_an_unknown_subject_finds_nobody_and_creates_nothing(tree):
    users = get_user_model().objects.count()
    assert find_user_for(OIDC, "abc-123", {"preferred_username": "admin_d"}) is None  # no claim configured
    assert find_user_for(OIDC, "abc-123", {}, match_claim="preferred_username") is None
    assert find_user_for(OIDC, "abc-123", {"preferred_username": "nobody"}, match_claim="preferred_username") is None
    assert get_user_model().objects.count() == users
    assert not ExternalIdentity.objects.exists()


def test_a_verified_claim_links_an_existing_account_once_and_is_audited(tree):
    user = find_user_for(OIDC, "sub-1", {"employee_no": "chair_a1"}, match_claim="employee_no")
    assert user == tree.chair
    identity = ExternalIdentity.objects.get()
    assert (identity.user, identity.subject, identity.method) == (tree.chair, "sub-1", "employee_no")
    entry = AuditEntry.objects.get(action=identities.LINKED_BY_CLAIM)
    assert entry.organisation == tree.district and entry.data["subject"] == "sub-1"
    # Its roles are the account's own, nothing from the claim.
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == ["chair"]
    # Next time by the subject, whatever the claim says now.
    assert find_user_for(OIDC, "sub-1", {"employee_no": "admin_d"}, match_claim="employee_no") == tree.chair
    # A second subject with the same claim does not take the account over.
    assert find_user_for(OIDC, "sub-2", {"employee_no": "chair_a1"}, match_claim="employee_no") is None


def test_superusers_and_inactive_accounts_are_not_signed_on(tree):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    assert find_user_for(OIDC, "s-root", {"u": "root"}, match_claim="u") is None
    ExternalIdentity.objects.create(user=tree.submitter, provider=OIDC, subject="s-sub", method="administrator")
    tree.submitter.is_active = False
    tree.submitter.save()
    assert find_user_for(OIDC, "s-sub", {}) is None
    assert root.is_superuser


def test_the_district_administrator_links_and_unlinks_on_the_account_page(client, tree):
    client.force_login(tree.admin_d)
    url = reverse("account_signon", args=[tree.reviewer_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "link", "provider": "oidc", "subject": "  idp-42 "})
    assert response.status_code == 302
    identity = ExternalIdentity.objects.get(subject="idp-42")
    assert identity.user == tree.reviewer_a and identity.linked_by == tree.admin_d
    assert AuditEntry.objects.filter(action=identities.LINKED, actor=tree.admin_d).count() == 1
    # The same subject twice: a clear message, what was typed kept.
    again = client.post(reverse("account_signon", args=[tree.submitter.pk]),
                        {"action": "link", "provider": "oidc", "subject": "idp-42"})
    assert again.status_code == 200 and "已关联" in again.content.decode()
    assert again.context["form"]["subject"].value() == "idp-42"
    empty = client.post(url, {"action": "link", "provider": "oidc", "subject": ""})
    assert empty.status_code == 200 and empty.context["form"].errors
    client.post(url, {"action": "unlink", "identity": identity.pk})
    assert not ExternalIdentity.objects.exists()
    assert AuditEntry.objects.filter(action=identities.UNLINKED).count() == 1


def test_another_districts_account_and_a_clerk_get_a_404(client, tree):
    elsewhere = make_org("邻区总工会", "elsewhere", OrgKind.DISTRICT)
    stranger = make_user("clerk_x", (elsewhere, ADMINISTRATOR))
    client.force_login(tree.admin_d)
    assert client.get(reverse("account_signon", args=[stranger.pk])).status_code == 404
    client.force_login(tree.reviewer_a)
    assert client.post(reverse("account_signon", args=[tree.submitter.pk]),
                       {"action": "link", "provider": "oidc", "subject": "x"}).status_code == 404
    assert not ExternalIdentity.objects.exists()


@pytest.mark.parametrize("flag,url", [("UNIONFLOW_OIDC", "oidc_login"), ("UNIONFLOW_OIDC", "oidc_callback"),
                                      ("UNIONFLOW_CAS", "cas_login")])
def test_the_identity_service_is_off_by_default(client, db, settings, flag, url):
    assert getattr(settings, flag) is False
    assert client.get(reverse(url)).status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert "统一身份认证" not in page and 'name="password"' in page


def test_local_passwords_off_refuse_the_password_but_a_superuser_repairs(client, tree, settings):
    settings.UNIONFLOW_LOCAL_PASSWORDS = False
    settings.UNIONFLOW_OIDC = True
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' not in page and "通过统一身份认证登录" in page
    response = client.post(reverse("login"), {"username": "admin_d", "password": "pw"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    assert 'name="password"' in client.get(reverse("login") + "?local=1").content.decode()
    assert client.post(reverse("login"), {"username": "root", "password": "pw"}).status_code == 302


def test_the_refusal_page_names_the_subject_in_chinese(client, db):
    session = client.session
    session[identities.REFUSED_SESSION_KEY] = {"provider": "cas", "subject": "u-77"}
    session.save()
    page = client.get(reverse("signon_refused"))
    assert page.status_code == 403
    text = page.content.decode()
    assert "账号未开通" in text and "u-77" in text
    assert "账号未开通" not in client.get(reverse("signon_refused")).content.decode()  # shown once


def test_a_deactivated_account_loses_its_sign_on_session(tree):
    from workflows.security.signon_backends import OIDCBackend

    assert OIDCBackend().get_user(tree.submitter.pk) == tree.submitter
    tree.submitter.is_active = False
    tree.submitter.save()
    assert OIDCBackend().get_user(tree.submitter.pk) is None
