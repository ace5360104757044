"""Locust users of the web benchmark (bench/web.py starts the server and
runs this file headless; see its docstring).

Reviewer: one intermediate union's reviewer each (grow_i01_review,
grow_i02_review ... as grow_demo --orgs made them; each has an inbox of its
own, so no two users ever hold the same case). Logged in before the run
(bench/web.py: 40 Argon2 logins at once would stall the two workers for
the first seconds of the window, and logging in is not what is measured),
it loops over the May Day cases of kinds (grow_demo: mayday-2024's medal
cases waiting at the intermediate unions): the inbox, the first case in it
(/awards/kinds/cases/<pk>/), its decision page (/decide/, the engine's),
the decision "forward" (recommend to the district) posted there with the
CSRF token and the version the page's form carries. A decision that is
not answered by the redirect to the case (a 409 "already handled", a page
re-rendered with an error) counts as a failure.

Health: BENCH_HEALTH_USERS users GET /healthz (one trivial query) at the
reviewers' pace, in the same run, as the yardstick of what the server and
the machine give a request that does almost nothing. bench/web.py names
the classes to run (no Health in its capacity runs).

The server runs the production settings (Secure cookies) but locust talks
plain HTTP to it on 127.0.0.1, standing in for the proxy that terminates
HTTPS: after each response the Secure flag of the stored cookies is
dropped (`plain_hop`), so that they go back over that hop."""

import itertools
import json
import os
import re
import time

from locust import HttpUser, SequentialTaskSet, between, events, task

SESSIONS = json.load(open(os.environ["BENCH_SESSIONS"])) if os.environ.get("BENCH_SESSIONS") else {}
REVIEWERS = int(os.environ.get("BENCH_REVIEWERS", "40"))
HEALTH_USERS = int(os.environ.get("BENCH_HEALTH_USERS", "4"))
# Each request's start (s since the run began), page, time and failure, for
# bench/web.py: its tables leave out the first seconds of a run (warm-up).
# Line-buffered: locust may end without flushing its files.
REQUEST_LOG = open(os.environ["BENCH_REQUEST_LOG"], "w", buffering=1) if os.environ.get("BENCH_REQUEST_LOG") else None
_STARTED = time.monotonic()


@events.request.add_listener
def _log_request(request_type, name, response_time, exception=None, **kwargs):
    if REQUEST_LOG is not None:
        started = time.monotonic() - _STARTED - response_time / 1000
        REQUEST_LOG.write(f"{started:.3f},{name},{response_time:.1f},{0 if exception is None else 1}\n")


THINK = between(float(os.environ.get("BENCH_WAIT_MIN", "0.5")), float(os.environ.get("BENCH_WAIT_MAX", "1.5")))
_numbers = itertools.count(1)

CASE_LINK = re.compile(r'href="(/awards/kinds/cases/(\d+)/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def plain_hop(client):
    for cookie in client.cookies:
        cookie.secure = False


class Loop(SequentialTaskSet):
    case_url = None
    form = None

    @task
    def inbox(self):
        self.case_url = self.form = None
        with self.client.get("/inbox/", name="inbox", catch_response=True) as response:
            plain_hop(self.client)
            match = CASE_LINK.search(response.text or "")
            if response.status_code != 200:
                response.failure(f"inbox: HTTP {response.status_code}")
            elif match is None:
                response.failure("inbox: no case left to decide")
            else:
                self.case_url = match.group(1)

    @task
    def case(self):
        if self.case_url is None:
            return
        with self.client.get(self.case_url, name="case page", catch_response=True) as response:
            plain_hop(self.client)
            if response.status_code != 200:
                response.failure(f"case page: HTTP {response.status_code}")
                self.case_url = None

    @task
    def decision_page(self):
        if self.case_url is None:
            return
        with self.client.get(self.case_url + "decide/", name="decision page", catch_response=True) as response:
            plain_hop(self.client)
            csrf, version = CSRF.search(response.text or ""), VERSION.search(response.text or "")
            if response.status_code != 200:
                response.failure(f"decision page: HTTP {response.status_code}")
            elif csrf is None or version is None:
                response.failure("decision page: no decision form")
            else:
                self.form = {"csrfmiddlewaretoken": csrf.group(1), "version": version.group(1)}

    @task
    def decide(self):
        if self.form is None:
            return
        url = self.case_url + "decide/"
        data = {**self.form, "decision": "forward", "comment": "同意推荐（压力测试）"}
        with self.client.post(url, data=data, name="decision", allow_redirects=False,
                              headers={"Referer": self.client.base_url + url},
                              catch_response=True) as response:
            plain_hop(self.client)
            if response.status_code != 302 or not response.headers.get("Location", "").endswith(self.case_url):
                response.failure(f"decision: HTTP {response.status_code}")


class Reviewer(HttpUser):
    fixed_count = REVIEWERS
    wait_time = THINK
    tasks = [Loop]

    def on_start(self):
        # Logged in before the run by bench/web.py (log_in): the sessions'
        # cookies, one reviewer per user.
        number = next(_numbers)
        self.username = f"grow_i{number:02d}_review"
        for name, value in SESSIONS[self.username].items():
            self.client.cookies.set(name, value, domain="127.0.0.1", path="/")


class Health(HttpUser):
    fixed_count = HEALTH_USERS
    wait_time = THINK

    @task
    def healthz(self):
        self.client.get("/healthz", name="healthz")
