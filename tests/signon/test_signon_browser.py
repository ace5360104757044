"""Sign-on through a real OpenID Connect provider (django-oauth-toolkit,
RS256 key made by the test) and a CAS server, in Chromium: a linked
district administrator signs on and then cannot reach any page without
the second factor; an account is linked by a verified claim; an unknown
subject is refused with 账号未开通 and nothing is created."""

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_org, make_user
from tests.e2e.conftest import shot
from workflows.models import ExternalIdentity, OrgKind
from workflows.organisations.roles import ADMINISTRATOR

from .provider.claims import PEOPLE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def district(provider):
    district = make_org("示范区总工会", "district", OrgKind.DISTRICT)
    town = make_org("甲镇工会", "town-a", OrgKind.INTERMEDIATE, district)
    union = make_org("甲一机械厂工会", "union-a1", OrgKind.GRASSROOTS, town)
    admin = make_user("admin_d", (district, ADMINISTRATOR))
    clerk = make_user("li_clerk", (union, "submitter"))
    return {"district": district, "admin": admin, "clerk": clerk}


def sign_on_at_provider(page, username):
    page.goto("/login/")
    assert page.locator("#signon-oidc").inner_text().startswith("通过统一身份认证登录")
    page.click("#signon-oidc")
    page.wait_for_selector("#idp-submit")
    assert page.url.startswith("http://127.0.0.1:") and "/provider/login/" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "idp-pw")
    page.click("#idp-submit")
    page.wait_for_load_state("networkidle")
    assert "/provider/" not in page.url, page.inner_text("body")[:500]


def test_a_linked_administrator_signs_on_and_needs_the_second_factor_for_every_page(
        open_page, district, settings):
    settings.UNIONFLOW_SECOND_FACTOR = True
    admin = district["admin"]
    ExternalIdentity.objects.create(user=admin, provider="oidc", subject=PEOPLE["idp_admin"][0],
                                    method="administrator")
    device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    page = open_page()
    sign_on_at_provider(page, "idp_admin")
    # Signed on as the linked account, held at the second factor.
    assert page.url.startswith("http://localhost:") and "/account/second-factor/verify/" in page.url
    assert "admin_d" in page.inner_text("header")
    shot(page, "signon-oidc-second-factor")
    for path in ("/inbox/", "/accounts/", "/security/", "/security/audit-export/", "/notifications/",
                 "/certificates/", "/awards/", f"/accounts/{admin.pk}/reset-second-factor/"):
        page.goto(path)
        assert "/account/second-factor/verify/" in page.url, path
        assert page.locator("input[name=token]").count() == 1
    page.fill("input[name=token]", "000000" if f"{totp(device.bin_key):06d}" != "000000" else "111111")
    page.click("form.stack button.primary")
    assert "/account/second-factor/verify/" in page.url and page.locator(".errorlist").count() == 1
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
    page.click("form.stack button.primary")
    page.wait_for_load_state("networkidle")
    page.goto("/security/")
    assert "/security/" in page.url and page.locator("h1").inner_text().startswith("安全设置")
    shot(page, "signon-security-settings")


def test_a_verified_claim_links_an_existing_account_and_an_unknown_subject_is_refused(
        open_page, district, settings):
    settings.UNIONFLOW_SECOND_FACTOR = True
    settings.UNIONFLOW_OIDC_MATCH_CLAIM = "employee_number"
    users = get_user_model().objects.count()
    page = open_page()
    sign_on_at_provider(page, "idp_li")
    assert page.url.startswith("http://localhost:") and "/inbox/" in page.url
    assert "li_clerk" in page.inner_text("header")
    identity = ExternalIdentity.objects.get(provider="oidc")
    assert (identity.user, identity.subject, identity.method) == (district["clerk"], "idp-91c2-li", "employee_number")

    stranger = open_page()
    sign_on_at_provider(stranger, "idp_nobody")
    assert "/login/refused/" in stranger.url
    text = stranger.inner_text("main")
    assert "账号未开通" in text and PEOPLE["idp_nobody"][0] in text
    shot(stranger, "signon-refused")
    assert get_user_model().objects.count() == users
    assert ExternalIdentity.objects.count() == 1
    stranger.goto("/inbox/")
    assert "/login/" in stranger.url  # not signed in


def test_cas_signs_on_by_the_same_rule(open_page, district, settings):
    settings.UNIONFLOW_CAS_MATCH_ATTRIBUTE = "employeeNumber"
    page = open_page()
    page.goto("/login/")
    page.click("#signon-cas")
    page.wait_for_selector("#cas-submit")
    page.fill("input[name=username]", "cas_li")
    page.click("#cas-submit")
    page.wait_for_load_state("networkidle")
    assert "li_clerk" in page.inner_text("header")
    assert ExternalIdentity.objects.get(provider="cas").subject == "cas_li"

    other = open_page()
    other.goto("/login/")
    other.click("#signon-cas")
    other.wait_for_selector("#cas-submit")
    other.fill("input[name=username]", "cas_unknown")
    other.click("#cas-submit")
    other.wait_for_load_state("networkidle")
    assert "/login/refused/" in other.url and "账号未开通" in other.inner_text("main")
    assert "cas_unknown" in other.inner_text("main")


def test_local_passwords_turned_off_leave_only_the_identity_service(open_page, district, settings):
    settings.UNIONFLOW_LOCAL_PASSWORDS = False
    page = open_page()
    page.goto("/login/")
    assert page.locator("input[name=password]").count() == 0
    assert page.locator("#signon-oidc").count() == 1 and page.locator("#signon-cas").count() == 1
