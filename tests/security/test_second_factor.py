"""The second factor: who needs it (derived from the roles the processes
register), enrolment with a QR code drawn by the app, no page without it
once enrolled, recovery codes, and a lost device reset by another district
administrator, audited."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_user
from workflows.models import AuditEntry, OrgKind
from workflows.security import second_factor
from workflows.organisations.roles import ADMINISTRATOR


@pytest.fixture
def enforced(settings):
    settings.UNIONFLOW_SECOND_FACTOR = True


def code_of(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login(client, username):
    response = client.post(reverse("login"), {"username": username, "password": "pw"})
    assert response.status_code == 302, response.content[:300]


def enrol(client):
    response = client.get(reverse("second_factor_enrol"))
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user__username=response.wsgi_request.user.username, confirmed=False)
    response = client.post(reverse("second_factor_enrol"), {"token": code_of(device)})
    assert response.status_code == 200
    return device, response.context["codes"]


@pytest.fixture
def without_mayday(monkeypatch):
    """The roles that need a second factor as the registered processes
    declare them, May Day's declaration left out (it is deleted at the
    switch, and it was the one to declare the district reviewers and the
    departments' officers: docs/mayday-as-kinds.md P2)."""
    from workflows.organisations import roles
    from workflows.steps.registry import processes

    monkeypatch.setattr(roles, "_SECOND_FACTOR", {})
    roles.require_second_factor(ADMINISTRATOR)
    for process in processes():
        if process.key != "mayday":
            for code, kinds in process.second_factor_roles.items():
                roles.require_second_factor(code, kinds)


def test_who_needs_a_second_factor_follows_the_roles(tree, departments, without_mayday):
    from awards.kinds.declaration import KIND_CASE_PROCESS
    from awards.roles import Role

    needs = second_factor.second_factor_required
    # The campaign kinds (May Day's three among them) declare who reads full ID numbers.
    assert KIND_CASE_PROCESS.second_factor_roles == {Role.REVIEWER: (OrgKind.DISTRICT,), Role.DEPARTMENT: None}
    assert needs(tree.admin_d)  # administers the district
    assert needs(tree.reviewer_d)  # reads full ID numbers (district reviewer)
    assert needs(departments["tax"])  # reads them when asked for a sign-off
    assert needs(tree.chair)  # opens and tallies a secret ballot
    assert not needs(tree.reviewer_a)  # a town's reviewer sees masked numbers
    assert not needs(tree.submitter)
    assert not needs(tree.outsider)


def test_a_district_administrator_enrols_at_first_login_then_needs_the_code_in_every_session(
        client, tree, enforced, django_assert_max_num_queries):
    login(client, "admin_d")
    # Every page leads to the enrolment first.
    for name in ("inbox", "account_list", "security_settings", "notifications"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("second_factor_enrol"))
    page = client.get(reverse("second_factor_enrol"))
    assert b"<svg" in page.content and page.context["required"]
    device = TOTPDevice.objects.get(user=tree.admin_d)
    # The same QR code on a reload: one pending device.
    client.get(reverse("second_factor_enrol"))
    assert TOTPDevice.objects.filter(user=tree.admin_d).count() == 1
    wrong = client.post(reverse("second_factor_enrol"), {"token": "000000" if code_of(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1  # django-otp's throttle
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    done = client.post(reverse("second_factor_enrol"), {"token": code_of(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert client.get(reverse("inbox")).status_code == 200
    assert AuditEntry.objects.filter(action=second_factor.ENROLLED, data__username="admin_d").count() == 1

    # A new session: nothing without the code.
    client.logout()
    login(client, "admin_d")
    response = client.get(reverse("account_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor_verify"))
    assert client.get(reverse("second_factor_enrol")).status_code == 200  # its status page, no new device
    assert TOTPDevice.objects.filter(user=tree.admin_d).count() == 1
    bad = client.post(reverse("second_factor_verify"), {"token": "12345"})
    assert bad.status_code == 200 and bad.context["form"].errors
    # (the enrolment page above is open without the code; the rest is not)
    assert client.get(reverse("inbox")).status_code == 302
    # The code from the enrolment cannot be replayed in its time step; the
    # next one is accepted.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    ok = client.post(reverse("second_factor_verify") + "?next=/accounts/",
                     {"token": code_of(device), "next": "/accounts/"})
    assert ok.status_code == 302 and ok["Location"] == "/accounts/"
    with django_assert_max_num_queries(40):
        assert client.get(reverse("account_list")).status_code == 200

    # A recovery code works once, and its use is recorded.
    client.logout()
    login(client, "admin_d")
    assert client.post(reverse("second_factor_verify"), {"token": codes[0]}).status_code == 302
    assert client.get(reverse("inbox")).status_code == 200
    assert StaticToken.objects.filter(device__user=tree.admin_d).count() == 9
    assert AuditEntry.objects.filter(action=second_factor.RECOVERY_CODE_USED).count() == 1
    client.logout()
    login(client, "admin_d")
    again = client.post(reverse("second_factor_verify"), {"token": codes[0]})
    assert again.status_code == 200 and client.get(reverse("inbox")).status_code == 302


def test_force_login_does_not_pass_the_second_factor(client, tree, enforced):
    client.force_login(tree.admin_d)
    assert client.get(reverse("inbox")).status_code == 302


def test_others_may_enrol_and_then_must_pass_it(client, tree, enforced):
    login(client, "submitter_a1")
    assert client.get(reverse("inbox")).status_code == 200  # not required
    enrol(client)
    client.logout()
    login(client, "submitter_a1")
    assert client.get(reverse("inbox"))["Location"].startswith(reverse("second_factor_verify"))


def test_switched_off_nobody_is_asked(client, tree, settings):
    settings.UNIONFLOW_SECOND_FACTOR = False
    login(client, "admin_d")
    assert client.get(reverse("inbox")).status_code == 200


def test_a_lost_device_is_reset_by_another_district_administrator_and_audited(client, tree, enforced):
    other_admin = make_user("admin_d2", (tree.district, ADMINISTRATOR))
    login(client, "admin_d")
    enrol(client)
    client.logout()

    # The other administrator (after their own second factor).
    login(client, "admin_d2")
    enrol(client)
    assert "admin_d" in client.get(reverse("account_list")).content.decode()
    page = client.get(reverse("account_reset_second_factor", args=[tree.admin_d.pk]))
    assert page.status_code == 200 and page.context["has_device"]
    response = client.post(reverse("account_reset_second_factor", args=[tree.admin_d.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=tree.admin_d).exists()
    assert not StaticToken.objects.filter(device__user=tree.admin_d).exists()
    entry = AuditEntry.objects.get(action=second_factor.RESET)
    assert entry.actor == other_admin and entry.data["username"] == "admin_d" and entry.organisation == tree.district
    # Never one's own.
    assert client.post(reverse("account_reset_second_factor", args=[other_admin.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=other_admin, confirmed=True).exists()
    client.logout()

    # The holder sets it up again at the next login.
    login(client, "admin_d")
    assert client.get(reverse("inbox"))["Location"].startswith(reverse("second_factor_enrol"))


def test_another_districts_administrator_and_a_clerk_get_a_404(client, tree, enforced, settings):
    from tests.conftest import make_org

    settings.UNIONFLOW_SECOND_FACTOR = False
    elsewhere = make_org("邻区总工会", "elsewhere", OrgKind.DISTRICT)
    make_user("admin_x", (elsewhere, ADMINISTRATOR))
    url = reverse("account_reset_second_factor", args=[tree.admin_d.pk])
    for username in ("admin_x", "reviewer_a"):
        client.logout()
        login(client, username)
        assert client.post(url).status_code == 404


def test_the_qr_code_is_drawn_inline_with_the_otpauth_secret(tree):
    device = second_factor.pending_device(tree.admin_d)
    svg = second_factor.qr_svg(device)
    assert svg.startswith("<svg") and "<script" not in svg and "style=" not in svg
    assert second_factor.secret_text(device).replace(" ", "")
    assert "otpauth://totp/" in device.config_url
