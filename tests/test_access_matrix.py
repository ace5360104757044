"""The access matrix: every URL of every app, asked by every persona of the
demo (one account per role and level, an outsider, the public), about an
object of branch A (城关镇 · 机械公司), of branch B (区直机关 · 区人民医院)
and of another district (X).

Whoever is not of an object's branch gets 404 for it, GET and POST alike
(never 200, 403 or a redirect: those tell that it exists); the public gets
404 or the login page for every private page; public pages (notices,
verification, voting, published results) show none of the private values
(ID numbers, phones, objectors' names and contacts). A URL added without an
entry here fails `test_every_url_is_in_the_matrix`.

Everything is built once for the module (the seeded demo, ~10 s) inside a
transaction that is rolled back at the end; each request runs in a savepoint
that is rolled back too, so a POST that does act changes nothing the next
request sees."""

import logging
import time

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.access_matrix_table import (
    NO_OBJECT, OBJECT_URLS, POST_SKIPPED, PUBLIC, holder, is_district_level, private_values, url_names,
)
from tests.access_world import DISTRICT_ADMINS, PERSONAS, _isolated_storage, world  # noqa: F401 (fixtures)
from workflows.models import ApiToken, Delegation

SLOTS = ("A", "B", "X")


def test_every_url_is_in_the_matrix():
    names = [name for name, _ in url_names()]
    assert len(names) == len(set(names)), "every URL pattern needs a name of its own"
    missing = sorted(set(names) - set(OBJECT_URLS) - set(NO_OBJECT))
    assert not missing, f"URLs without an entry in tests/access_matrix_table.py: {missing}"
    stale = sorted((set(OBJECT_URLS) | set(NO_OBJECT)) - set(names))
    assert not stale, f"entries for URLs that no longer exist: {stale}"


class Matrix:
    def __init__(self, world):
        self.world = world
        self.requests = 0
        self.cells = 0
        self.leaks = []
        self.errors = []
        self.seen_by_someone = set()
        self.time_by_name = {}  # object URLs some persona of the object's branch reached
        self.secrets = private_values(world)
        self.scopes = {p: world.scope(p) for p in PERSONAS if p not in ("anonymous", "outsider")}

    def foreign(self, persona, obj):
        """Is `obj` outside everything `persona` may see?"""
        if persona in ("anonymous", "outsider"):
            return True
        owner_user, org = holder(obj)
        if isinstance(obj, (Delegation, ApiToken)) and persona in DISTRICT_ADMINS:
            # The district's administrator ends any delegation, and revokes
            # any API token, of the district's accounts.
            return not any(m.organisation.path.startswith(self.world.org["district"].path)
                           for m in owner_user.memberships.all())
        if owner_user is not None:
            return owner_user != self.world.users[persona]
        scopes = self.scopes[persona]
        if is_district_level(org):
            return not any(scope.is_within(org) or org.is_within(scope) for scope in scopes)
        return not any(org.is_within(scope) for scope in scopes)

    def ask(self, client, method, url, name):
        self.requests += 1
        started = time.monotonic()
        with transaction.atomic():
            response = getattr(client, method)(url)
            transaction.set_rollback(True)
        self.time_by_name[name] = self.time_by_name.get(name, 0) + time.monotonic() - started
        return response

    def check(self, persona, name, url, method, response, *, foreign, public):
        status = response.status_code
        cell = f"{persona} {method.upper()} {url} ({name}) → {status}"
        if status >= 500:
            self.errors.append(cell)
            return
        login = status == 302 and response["Location"].startswith(reverse("login"))
        if public:
            body = response.content.decode(errors="replace") if status == 200 else ""
            shown = [s for s in self.secrets if s in body]
            if shown:
                self.leaks.append(f"{cell} shows private values {shown[:3]}")
            return
        if persona == "anonymous":
            # The API answers a call without credentials with 401.
            if not (status in (404, 405) or login or (status == 401 and name.startswith("api:"))):
                self.leaks.append(cell)
        elif foreign:
            # 405 answers the method before any object is looked up.
            if status not in (404, 405):
                self.leaks.append(cell)
        elif status != 404:
            self.seen_by_someone.add(name)


@pytest.mark.django_db
def test_access_matrix(world):
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # thousands of 404s are the point
    matrix = Matrix(world)
    started, cpu = time.monotonic(), time.process_time()
    names = dict(url_names())
    for persona in PERSONAS:
        cache.clear()
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(world.users[persona])
        for name in sorted(names):
            public = name in PUBLIC
            if name in NO_OBJECT:
                url = NO_OBJECT[name]() if callable(NO_OBJECT[name]) else reverse(name)
                matrix.cells += 1
                response = matrix.ask(client, "get", url, name)
                # A page without an object may refuse the outsider with 403.
                matrix.check(persona, name, url, "get", response, foreign=False, public=public)
                continue
            kind, kwargs = OBJECT_URLS[name]
            for slot in SLOTS:
                obj = world.obj.get((kind, slot))
                if obj is None:
                    continue
                matrix.cells += 1
                url = reverse(name, kwargs=kwargs(obj))
                foreign = matrix.foreign(persona, obj)
                if not foreign and persona != "anonymous" and name in matrix.seen_by_someone:
                    continue  # the branch's own answer is known; the refusals are the question
                # The branch's own people POST too when GET is not how the
                # page answers them (a decision is only ever posted).
                for method in ["get"] if name in POST_SKIPPED else ["get", "post"]:
                    if method == "post" and not foreign and name in matrix.seen_by_someone:
                        break
                    response = matrix.ask(client, method, url, name)
                    matrix.check(persona, name, url, method, response, foreign=foreign, public=public)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    object_urls = [n for n in OBJECT_URLS if n not in PUBLIC]
    unreached = sorted(set(object_urls) - matrix.seen_by_someone)
    print(f"\naccess matrix: {len(PERSONAS)} personas × {len(names)} URLs ({len(OBJECT_URLS)} with objects, "
          f"{len(SLOTS)} branches each) = {matrix.cells} cells, {matrix.requests} requests "
          f"in {elapsed:.1f} s ({cpu:.1f} s of CPU); "
          f"{len(matrix.leaks)} leaks, {len(matrix.errors)} server errors")
    slowest = sorted(matrix.time_by_name.items(), key=lambda kv: -kv[1])[:5]
    print("slowest URLs:", ", ".join(f"{n} {t:.1f} s" for n, t in slowest))
    # An entry nobody of the object's own branch reaches proves nothing:
    # its 404s could be the page's answer to everyone.
    problems = matrix.errors[:40] + matrix.leaks[:60] + [f"no persona of the object's branch reaches {n}"
                                                        for n in unreached]
    assert not problems, "\n".join(problems)
