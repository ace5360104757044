"""The access matrix: every URL of every app, asked by every persona of the
demo (one account per role and level, an outsider, the public), about an
object of branch A (城关镇 · 机械公司), of branch B (区直机关 · 区人民医院)
and of another district (X).

Whoever is not of an object's branch gets 404 for it, GET and POST alike
(never 200, 403 or a redirect: those tell that it exists); the public gets
404 or the login page for every private page; public pages (notices,
verification, voting, published results) show none of the private values
(ID numbers, phones, objectors' names and contacts). The entries are
declared beside each process's tests and collected by
tests/access_registry.py; a URL added without one fails
`test_every_url_is_in_the_matrix`.

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

from tests.access_registry import checks, holder, is_district_level, private_values, table, url_names, url_of
from tests.access_world import DISTRICT_ADMINS, PERSONAS, _isolated_storage, world  # noqa: F401 (fixtures)
from workflows.models import ApiToken, Delegation

SLOTS = ("A", "B", "X")


def test_every_url_is_in_the_matrix():
    names = [name for name, _ in url_names()]
    assert len(names) == len(set(names)), "every URL pattern needs a name of its own"
    t = table()
    assert not t.twice, f"entries declared twice: {t.twice}"
    asked = {check.name for check in checks()}
    missing = sorted(set(names) - asked)
    assert not missing, f"URLs without an entry in an access_entries.py (tests/access_registry.py): {missing}"
    stale = sorted((set(t.object_urls) | set(t.no_object) | t.public | t.post_skipped) - set(names))
    assert not stale, f"entries for URLs that no longer exist: {stale}"
    labels = [check.label for check in checks()]
    assert len(labels) == len(set(labels))


def test_every_process_has_its_cases():
    """The engine's pages of a case are asked about every registered
    process's: a process without a kind of case in the world is named."""
    from workflows.steps.registry import processes

    t = table()
    assert sorted(p.key for p in processes() if p.key not in t.cases) == []
    assert sorted(set(t.cases) - {p.key for p in processes()}) == []


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
            # The API answers a call without credentials with 401 (at its old addresses too).
            if not (status in (404, 405) or login or (status == 401 and url.startswith("/api/"))):
                self.leaks.append(cell)
        elif foreign:
            # 405 answers the method before any object is looked up.
            if status not in (404, 405):
                self.leaks.append(cell)
        elif status != 404:
            self.seen_by_someone.add(name)


def walk(matrix, world, questions, personas=PERSONAS, slots=SLOTS):
    """Ask every question of `questions` as each of `personas`, about the
    world's object of each slot (the generated kinds walk it too:
    tests/awards/kinds/test_generated_access.py)."""
    t = table()
    for persona in personas:
        cache.clear()
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(world.users[persona])
        for check in questions:
            name, label, public = check.name, check.label, check.name in t.public
            if check.kind is None:
                url = url_of(check)
                matrix.cells += 1
                response = matrix.ask(client, "get", url, label)
                # A page without an object may refuse the outsider with 403.
                matrix.check(persona, label, url, "get", response, foreign=False, public=public)
                continue
            for slot in slots:
                obj = world.obj.get((check.kind, slot))
                if obj is None:
                    continue
                matrix.cells += 1
                url = url_of(check, obj)
                foreign = matrix.foreign(persona, obj)
                if not foreign and persona != "anonymous" and label in matrix.seen_by_someone:
                    continue  # the branch's own answer is known; the refusals are the question
                # The branch's own people POST too when GET is not how the
                # page answers them (a decision is only ever posted).
                for method in ["get"] if name in t.post_skipped else ["get", "post"]:
                    if method == "post" and not foreign and label in matrix.seen_by_someone:
                        break
                    response = matrix.ask(client, method, url, label)
                    matrix.check(persona, label, url, method, response, foreign=foreign, public=public)


@pytest.mark.django_db
def test_access_matrix(world):
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # thousands of 404s are the point
    matrix = Matrix(world)
    started, cpu = time.monotonic(), time.process_time()
    t, questions = table(), checks()
    walk(matrix, world, questions)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    object_checks = [c.label for c in questions if c.kind is not None]
    unreached = sorted({label for label in object_checks if label.partition("[")[0] not in t.public}
                       - matrix.seen_by_someone - set(t.reached_elsewhere))
    print(f"\naccess matrix: {len(PERSONAS)} personas × {len(questions)} questions of {len(url_names())} URLs "
          f"({len(object_checks)} with objects, "
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
