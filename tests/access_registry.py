"""The entries of the access matrix (tests/test_access_matrix.py) and of the
form fuzzing (tests/test_form_fuzzing.py), collected from the test packages.

Each process declares its own beside its tests, in an `access_entries.py`
of its test package (tests/awards/ for May Day, tests/awards/modelhome/,
tests/evaluations/cadres/, ...); the engine's pages are declared in
tests/workflows/ and tests/api/. A new process adds that one file; nothing
here names a process. An `access_entries` module may hold:

- `PAGES = {namespace: {parameters: kind}}`: every URL of the namespace
  whose route takes exactly these parameters is asked about the world's
  object of that kind, its parameters read from the object (`pk`, `code`);
  `()` → None: a page without an object (a list, a form to create);
- `OBJECT_URLS = {name: (kind, kwargs of the URL from the object)}` and
  `NO_OBJECT = {name: None or a callable giving the URL}`: the URLs the
  rule above does not fit (they win over it);
- `CASES = {process key: kind}`: the world's object of each of its
  processes' cases; the engine's pages of a case (its decision page, its
  API, its process's API pages) are generated for each, and
  `CASE_ATTACHMENTS = {process key: kind}` adds the engine's attachment
  download for the case's attachment of that kind. A registered process
  without a `CASES` entry fails `test_every_process_has_its_cases`;
- `PUBLIC`, `POST_SKIPPED`: names of pages anyone may read, and of URLs
  never POSTed;
- `REACHED_ELSEWHERE = {name: reason}`: a page whose object in the world
  is in no state its own branch may use it in (a case not returned, a
  certificate of another process), so the matrix asks only the refusals;
  the reason names the test where the branch's own people reach it;
- `holder(obj)`: (user, None) or (None, organisation) for an object of its
  own models the rules below do not know, else None;
- `private_values(world)`: values of its own no public page may show;
- `FORMS = {name: FormEntry}` and `NOT_FUZZED = {name: reason}`: the forms
  it posts (tests/test_form_fuzzing.py);
- `world_objects(world)`: its objects of each branch in the world of
  tests/access_world.py (`world.obj[kind, slot]` for the kinds it names;
  A and B picked from the demo, X made in the other district)."""

import functools
import importlib
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROOT = Path(__file__).resolve().parent

# Django's own apps: the admin (its own permission system, tested by Django
# and fenced off by AdminNetworkMiddleware), the language switch and the
# JavaScript catalogue (no object, no data of anyone).
SKIPPED_PREFIXES = ("admin/", "i18n/", "jsi18n/")

_PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


# Where the entries come from ----------------------------------------------------

def modules():
    """Every `access_entries` module under tests/, in path order."""
    found = []
    for path in sorted(ROOT.rglob("access_entries.py")):
        dotted = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        found.append(importlib.import_module(dotted))
    return found


@dataclass(frozen=True)
class Check:
    """One question of the matrix: a URL (by its name) asked about the
    world's objects of one kind, or without an object (kind None).
    `label` names it in reports; it is the URL's name, followed by the
    process's key where the entry is generated per process."""

    label: str
    name: str
    kind: Optional[str]
    url: Callable  # kind: object → kwargs of the URL; no kind: () → URL, or None for reverse(name)


class Table:
    def __init__(self):
        self.object_urls, self.no_object, self.forms, self.not_fuzzed = {}, {}, {}, {}
        self.reached_elsewhere = {}
        self.cases, self.case_attachments, self.pages = {}, {}, {}
        self.public, self.post_skipped = set(), set()
        self.holders, self.secrets = [], []
        self.twice = []  # entries declared by two modules
        self.origin = {}

    def merge(self, module):
        for attr, into in (("OBJECT_URLS", self.object_urls), ("NO_OBJECT", self.no_object),
                           ("FORMS", self.forms), ("NOT_FUZZED", self.not_fuzzed), ("CASES", self.cases),
                           ("CASE_ATTACHMENTS", self.case_attachments),
                           ("REACHED_ELSEWHERE", self.reached_elsewhere)):
            for key, value in getattr(module, attr, {}).items():
                if key in into:
                    self.twice.append(f"{attr} {key}: {self.origin[attr, key]} and {module.__name__}")
                into[key] = value
                self.origin[attr, key] = module.__name__
        for namespace, by_parameters in getattr(module, "PAGES", {}).items():
            for parameters, kind in by_parameters.items():
                key = (namespace, tuple(sorted(parameters)))
                if key in self.pages:
                    self.twice.append(f"PAGES {key}: {self.origin['PAGES', key]} and {module.__name__}")
                self.pages[key] = kind
                self.origin["PAGES", key] = module.__name__
        self.public |= set(getattr(module, "PUBLIC", ()))
        self.post_skipped |= set(getattr(module, "POST_SKIPPED", ()))
        if hasattr(module, "holder"):
            self.holders.append(module.holder)
        if hasattr(module, "private_values"):
            self.secrets.append(module.private_values)


@functools.cache
def table():
    merged = Table()
    for module in modules():
        merged.merge(module)
    return merged


# The questions ---------------------------------------------------------------------

def _from_object(parameters):
    return lambda obj: {p: getattr(obj, p) for p in parameters}


def _per_process(t):
    """The engine's pages of each registered process's cases."""
    from workflows.steps.registry import case_api_of, processes

    checks = []
    for process in sorted(processes(), key=lambda p: p.key):
        key, kind = process.key, t.cases.get(process.key)
        if kind is None:
            continue  # test_every_process_has_its_cases names it
        checks.append(Check(f"case_decide[{key}]", "case_decide", kind,
                            lambda o, key=key: {"process_key": key, "pk": o.pk}))
        if key in t.case_attachments:
            checks.append(Check(f"attachment_download[{key}]", "attachment_download", t.case_attachments[key],
                                lambda a: {"pk": a.pk}))
        if case_api_of(process) is not None:
            for name in ("api:case", "api:decide"):
                checks.append(Check(f"{name}[{key}]", name, kind, lambda o, key=key: {"key": key, "pk": o.pk}))
            for name in ("api:process", "api:cases"):
                checks.append(Check(f"{name}[{key}]", name, None,
                                    lambda name=name, key=key: reverse(name, kwargs={"key": key})))
    return checks


def checks():
    """Every question, in the order of their labels: the declared URLs, the
    URLs generated from `PAGES`, the engine's pages of every process."""
    t = table()
    found = [Check(name, name, kind, kwargs) for name, (kind, kwargs) in t.object_urls.items()]
    found += [Check(name, name, None, url) for name, url in t.no_object.items()]
    declared = set(t.object_urls) | set(t.no_object)
    for name, route, _view in url_entries():
        if name in declared:
            continue
        namespace = name.rpartition(":")[0]
        parameters = tuple(sorted(_PARAMETER.findall(route)))
        if (namespace, parameters) in t.pages:
            kind = t.pages[namespace, parameters]
            found.append(Check(name, name, kind, _from_object(parameters) if kind else None))
    found += _per_process(t)
    return sorted(found, key=lambda c: c.label)


def url_of(check, obj=None):
    if check.kind is not None:
        return reverse(check.name, kwargs=check.url(obj))
    return check.url() if callable(check.url) else reverse(check.name)


# Whose an object is ------------------------------------------------------------------

def holder(obj):
    """(user, None) for what belongs to one person, (None, organisation)
    for what belongs to an organisation."""
    from viewflow.workflow.models import Task
    from workflows.models import (
        ApiToken, Attachment, Certificate, Delegation, Membership, NoticeEntry, Notification, Objection,
        Organisation, PublicNotice, Webhook,
    )
    from workflows.models.bulk_runs import BulkRun
    from workflows.steps.tasks import acting_pair

    if isinstance(obj, Notification):
        return obj.user, None
    if isinstance(obj, BulkRun):
        return obj.actor, None
    if isinstance(obj, Delegation):
        return obj.principal, None  # and the administrator of the principal's district (Matrix.foreign)
    if isinstance(obj, ApiToken):
        return obj.user, None  # and the administrator of the account's district (Matrix.foreign)
    if isinstance(obj, Webhook):
        return None, obj.district
    if isinstance(obj, get_user_model()):
        return None, Membership.objects.filter(user=obj).first().organisation
    if isinstance(obj, Organisation):
        return None, obj
    if isinstance(obj, Task):
        return None, Organisation.objects.get(pk=acting_pair(obj)[1])
    if isinstance(obj, Certificate):
        return None, obj.owner_organisation
    if isinstance(obj, PublicNotice):
        return None, obj.organisation
    if isinstance(obj, NoticeEntry):
        return None, obj.notice.organisation
    if isinstance(obj, Objection):
        return None, obj.entry.notice.organisation
    if isinstance(obj, Attachment):
        return holder(obj.case)
    for own in table().holders:
        found = own(obj)
        if found is not None:
            return found
    for field in ("organisation", "district"):
        if hasattr(obj, f"{field}_id"):
            return None, getattr(obj, field)
    raise TypeError(f"no holder known for {obj!r}")


def is_district_level(org):
    return org.parent_id is None


def private_values(world):
    """Values no public page may show, from every module."""
    values = set()
    for own in table().secrets:
        values.update(own(world))
    return sorted(values)


# The URLs ---------------------------------------------------------------------------

def url_names():
    return [(name, route) for name, route, _ in url_entries()]


def url_entries():
    """Every named URL of the root URLconf, walking includes (name with its
    namespace, route, view), but for the prefixes Django's apps own."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if any(route.startswith(p) for p in SKIPPED_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                ns = ":".join(filter(None, [namespace, entry.namespace]))
                walk(entry, route, ns)
            elif isinstance(entry, URLPattern):
                found.append((":".join(filter(None, [namespace, entry.name])), route, entry.callback))

    walk(get_resolver(), "", "")
    return found


# Forms -------------------------------------------------------------------------------

@dataclass
class FormEntry:
    """Who may post the form in the demo world (tests/access_world.py), its
    URL, and the page that shows its form (where its fields are read)."""

    persona: str
    url: Callable
    host: Optional[Callable] = None  # the page showing the form, when the URL only takes POSTs
    button: bool = False  # a button: no field but the hidden ones


def r(name, *args, query=""):
    """The URL `name` with its arguments (callables of the world)."""
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args]) + query


def o(kind, attr="pk", slot="A"):
    """An attribute of the world's object of a branch."""
    return lambda w: getattr(w.obj[kind, slot], attr)


def pick(model_path, **filters):
    """The pk of the first demo row matching `filters`."""

    def first(w):
        from django.apps import apps

        return apps.get_model(model_path).objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[0]

    return first


def takes_posted_input(view):
    """Does the view (function or class) read a POST body or a form?"""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "form_class", None) is not None or "POST" in inspect.getsource(view_class)
    source = inspect.getsource(inspect.unwrap(view))
    return any(word in source for word in ("request.POST", "request.FILES", "require_POST", "\"POST\""))
