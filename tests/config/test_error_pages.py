"""The site's own error pages under production settings (DEBUG off, HTTPS,
only the configured host, static files from collectstatic's manifest): a
wrong Host, a form with 1,500 fields and a body of tens of megabytes get a
clear 400/413 page in Chinese, never a 500, and no error page needs a
template or a static file the site does not ship."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.template import loader
from django.test import Client

HOST = "unionflow.example.org"
TEMPLATES = Path(django_settings.BASE_DIR) / "templates"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic once for the module, as a deployment runs it."""
    root = tmp_path_factory.mktemp("static")
    from django.test import override_settings

    with override_settings(STATIC_ROOT=root, STORAGES={
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }):
        call_command("collectstatic", "--noinput", "-v", "0")
    return root


@pytest.fixture
def production(settings, collected):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [HOST]
    settings.SECURE_SSL_REDIRECT = True
    settings.STATIC_ROOT = collected
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    # A 500 comes back as a response, as a browser would see it, not raised into the test.
    return Client(HTTP_HOST=HOST, raise_request_exception=False)


@pytest.mark.parametrize("name", ["400.html", "403.html", "404.html", "500.html"])
def test_every_error_page_is_the_sites_own(name):
    assert Path(loader.get_template(name).origin.name).parent == TEMPLATES


@pytest.mark.django_db
def test_a_wrong_host_gets_a_400_page_in_chinese(production):
    response = production.get("/", HTTP_HOST="evil.example.com", secure=True)
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求有误" in page and "本网站不使用您浏览器所请求的地址访问" in page
    # The stylesheet is the collected, hashed one: the page is styled.
    assert "/static/css/app." in page and "app.css\"" not in page
    plain = production.get("/notices/", HTTP_HOST="evil.example.com")
    assert plain.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/i18n/setlang/"])
def test_a_post_with_1500_fields_gets_a_400_page(production, path):
    form = {f"field{i}": "x" for i in range(1500)}
    response = production.post(path, form, secure=True)
    assert response.status_code == 400, response.content[:300]
    assert "提交的表单字段数量远超本网站任何页面" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("megabytes", [26, 60])
def test_a_urlencoded_body_past_the_memory_limit_gets_a_413_page(production, megabytes):
    body = b"text=" + b"x" * (megabytes * 1024 * 1024)
    response = production.generic(
        "POST", "/login/", body, content_type="application/x-www-form-urlencoded", secure=True)
    assert response.status_code == 413, response.content[:300]
    assert "提交的内容过大" in response.content.decode()


@pytest.mark.django_db
def test_a_body_announced_past_the_cap_is_refused_unread(production, settings):
    # The body itself is never read: the announced length is enough.
    response = production.generic(
        "POST", "/login/", b"text=x", content_type="application/x-www-form-urlencoded", secure=True,
        CONTENT_LENGTH=str(settings.UNIONFLOW_MAX_REQUEST_BYTES + 1))
    assert response.status_code == 413
    assert "内容过大" in response.content.decode()


@pytest.mark.django_db
def test_404_and_403_pages_render_with_collected_static(production, rf):
    response = production.get("/no-such-page/", secure=True)
    assert response.status_code == 404
    assert "/static/css/app." in response.content.decode() and "不存在" in response.content.decode()

    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied, server_error

    request = rf.get("/", HTTP_HOST=HOST, secure=True)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    denied = permission_denied(request, PermissionDenied())
    assert denied.status_code == 403 and "/static/css/app." in denied.content.decode()
    failed = server_error(request)
    assert failed.status_code == 500 and "/static/css/app." in failed.content.decode()
    assert "服务器" in failed.content.decode()
