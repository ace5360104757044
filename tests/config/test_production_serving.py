"""The app as a deployment runs it: production settings (only what the
README says to set), PostgreSQL and Redis on 127.0.0.1, gunicorn serving
pages and static files (WhiteNoise) behind a reverse proxy's headers, and a
batch print queued by a page and run by an RQ worker
(`manage.py rqworker default`). Skipped where PostgreSQL or Redis is absent."""

import base64
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django_otp.oath import totp

ROOT = Path(__file__).resolve().parents[2]
PG = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
REDIS_DB = 13  # none of the other tests use it; emptied before and after


def reachable(address):
    try:
        with socket.create_connection(address, timeout=0.5):
            return True
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(gunicorn, port, seconds=60):
    deadline = time.monotonic() + seconds
    while not reachable(("127.0.0.1", port)):
        assert gunicorn.poll() is None, gunicorn.stdout.read()
        assert time.monotonic() < deadline, f"gunicorn did not start within {seconds} s"
        time.sleep(0.3)


# Run by `manage.py shell` on the seeded demo: prints the campaign to print
# and its number of valid certificates.
GRANT_AND_PICK = """
import datetime
from django.contrib.auth import get_user_model
from awards.kinds.endings import campaign_certificates, certificate_spec
from awards.kinds.models import KindCampaign, KindCase, KindCaseState
from workflows.models import NoticeStatus, PublicNotice
from workflows.notices.services import close_notice
from workflows.steps.decisions import decide

campaign = KindCampaign.objects.filter(code="mayday-2024").first()
if campaign is None:
    admin = get_user_model().objects.get(username="qz_admin")
    for notice in PublicNotice.objects.filter(status=NoticeStatus.OPEN):
        close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    for case in KindCase.objects.filter(state=KindCaseState.DECIDING):
        if certificate_spec(case) and "scoring" not in case.kind_version.definition["route"]["steps"]:
            decide(case=case, actor=admin, decision="outcome_1")
    campaign = max(KindCampaign.objects.all(), key=lambda c: campaign_certificates(c).count())
print(campaign.pk, campaign_certificates(campaign).count())
"""


@pytest.fixture
def database():
    if not reachable(PG):
        pytest.skip("No PostgreSQL at 127.0.0.1:5432: the production run needs one.")
    if not reachable(REDIS):
        pytest.skip("No Redis at 127.0.0.1:6379: the production run needs one (cache, rate limits, RQ).")
    import psycopg
    import redis

    name = f"unionflow_serving_{os.getpid()}"
    admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    store = redis.Redis(host=REDIS[0], port=REDIS[1], db=REDIS_DB)
    store.flushdb()
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        store.flushdb()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Site:
    """A client speaking to gunicorn as the reverse proxy would: HTTPS said
    by X-Forwarded-Proto, the citizen's address appended to X-Forwarded-For,
    cookies kept by hand (they are Secure, the hop is plain HTTP)."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, form=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Host": "127.0.0.1", "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": f"https://127.0.0.1{path}",
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response, content


def test_gunicorn_with_production_settings_serves_and_an_rq_worker_prints(database, tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        # What README's deployment section says to set, and no more:
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://unionflow.example.org",
        "DATABASE_URL": database,
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "TRUSTED_PROXY_COUNT": "1",
        # Where files go (the defaults are var/ of the checkout).
        "VAR_DIR": str(tmp_path / "var"),
        "UNIONFLOW_PRINT_PROCESSES": "1",
    }

    def manage(*args, timeout=600):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    manage("check", "--deploy", "--fail-level", "WARNING")
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    manage("seed_demo", "--i-know-this-is-production")

    port = free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "120"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_until_listening(gunicorn, port)
        site = Site(port)

        # Plain HTTP is sent to HTTPS; through the proxy the page is served.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/notices/", headers={"Host": "127.0.0.1"})
        insecure = conn.getresponse()
        assert insecure.status == 301 and insecure.getheader("Location").startswith("https://")
        conn.close()
        response, html = site.request("GET", "/login/")
        assert response.status == 200 and "登录" in html
        assert "unsafe-inline" not in response.getheader("Content-Security-Policy")
        assert response.getheader("Strict-Transport-Security")
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html).group(1)  # hashed name
        response, css = site.request("GET", stylesheet)
        assert response.status == 200 and "max-age=315360000" in response.getheader("Cache-Control")

        # The district's administrator queues the batch print from the page of
        # a campaign of kinds: the demo's May Day campaign (its code), else the
        # one with the most certificates once the district has granted the
        # demo's honour candidates whose notice ran (no inspectors' scores).
        # (the last line: what the decisions log or send comes before it)
        campaign_pk, certificates = manage("shell", "-v", "0", "-c", GRANT_AND_PICK).strip().splitlines()[-1].split()
        assert int(certificates) >= 2
        campaign_path = f"/awards/kinds/campaigns/{campaign_pk}/"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        response, _ = site.request("POST", "/login/", {"username": "qz_admin", "password": "demo-2024",
                                                       "csrfmiddlewaretoken": token})
        assert response.status == 302, "login failed"
        # A district administrator sets up the second factor first, as a
        # person would: the key from the page, a code from it.
        response, page = site.request("GET", campaign_path)
        assert response.status == 302 and "/account/second-factor/" in response.getheader("Location")
        response, page = site.request("GET", "/account/second-factor/")
        secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, page = site.request("POST", "/account/second-factor/",
                                      {"token": f"{totp(key):06d}", "csrfmiddlewaretoken": token})
        assert response.status == 200 and 'id="recovery-codes"' in page
        response, page = site.request("GET", campaign_path)
        assert response.status == 200 and f"{campaign_path}print/" in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, page = site.request("POST", f"{campaign_path}print/", {"csrfmiddlewaretoken": token})
        assert response.status == 200  # the confirmation, nothing queued yet
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, _ = site.request("POST", f"{campaign_path}print/", {"csrfmiddlewaretoken": token,
                                                                     "confirmed": "1"})
        assert response.status == 302
        job_path = urllib.parse.urlparse(response.getheader("Location")).path
        response, page = site.request("GET", job_path)
        assert response.status == 200 and "job-status" in page

        # An RQ worker takes the job off Redis and prints it.
        manage("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.backend.Job")
        job_id = int(re.search(r"/(\d+)/?$", job_path).group(1))
        status = manage("shell", "-v", "0", "-c", (
            "from workflows.models import PrintJob; j = PrintJob.objects.get(pk=%d); "
            "print(j.status, j.done, j.total, bool(j.document_id))" % job_id
        ))
        state, done, total, has_pdf = status.split()
        assert state == "done" and done == total == certificates and has_pdf == "True"
        response, page = site.request("GET", job_path)
        assert response.status == 200 and f"/print-jobs/{job_id}/pdf/" in page
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def test_gunicorn_answers_bad_requests_with_the_sites_400_and_413_pages(tmp_path):
    """issue 20: a wrong Host, 1,500 form fields, a urlencoded body of 26 MB
    and one announced at 120 MB made gunicorn answer 500 (viewflow's 400
    template, whose stylesheet collectstatic does not keep). Production
    settings, collected static files; none of these requests reaches the
    database (the one configured is never migrated)."""
    env = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://unionflow.example.org", "TRUSTED_PROXY_COUNT": "1", "VAR_DIR": str(tmp_path / "var"),
    }
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--timeout", "120"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7", "Referer": "https://127.0.0.1/login/",
               # A CSRF cookie, as any browser that opened the form has: the check then reads the body.
               "Cookie": "csrftoken=" + "a" * 32}

    def send(method, path, host="127.0.0.1", body=None, headers=()):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request(method, path, body=body, headers={"Host": host, **proxied, **dict(headers)})
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, content

    try:
        wait_until_listening(gunicorn, port)
        form = {"Content-Type": "application/x-www-form-urlencoded"}

        status, page = send("GET", "/", host="evil.example.com")
        assert status == 400 and "本网站不使用您浏览器所请求的地址访问" in page
        assert re.search(r'href="/static/css/app\.[0-9a-f]{12}\.css"', page)

        status, page = send("POST", "/login/", body=urllib.parse.urlencode({f"f{i}": "x" for i in range(1500)}),
                            headers=form)
        assert status == 400 and "提交的表单字段数量远超本网站任何页面" in page

        def announced(megabytes):
            """POST announcing a urlencoded body of `megabytes` MB, sending its
            first 64 kB and reading the answer (as a browser does; sending it
            all would only meet a closed connection, the answer coming first)."""
            with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
                sock.sendall(("POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              + "".join(f"{k}: {v}\r\n" for k, v in {**proxied, **form}.items())
                              + f"Content-Length: {megabytes * 1024 * 1024}\r\nConnection: close\r\n\r\n").encode()
                             + b"text=" + b"x" * 65536)
                answer = b""
                while chunk := sock.recv(65536):
                    answer += chunk
            return answer.decode("utf-8", "replace")

        # Past DATA_UPLOAD_MAX_MEMORY_SIZE (Django's RequestDataTooBig) and
        # past UNIONFLOW_MAX_REQUEST_BYTES (workflows.security.ratelimit): both a 413.
        for megabytes in (26, 109, 120):
            answer = announced(megabytes)
            assert answer.startswith("HTTP/1.1 413") and "内容过大" in answer, (megabytes, answer[:300])

        status, _ = send("GET", "/healthz")
        assert status in (200, 503)  # the worker is alive after all of it (503: no migrated database)
    finally:
        gunicorn.terminate()
        output = gunicorn.communicate(timeout=30)[0]
    # django.security logs each refusal (with its traceback); nothing is an internal error.
    assert "Internal Server Error" not in output and "TemplateDoesNotExist" not in output, output
