"""Every form of every app, fuzzed: hypothesis posts generated input (text
with any unicode, NUL bytes, huge strings, numbers out of range, malformed
dates, invalid choices, files of random bytes) to each form, as someone
allowed to use it in the demo world. Whatever the input, the answer is a
page (with errors), a redirect or a deliberate refusal, never a 500, and
every row it stores passes full_clean().

The fields come from the page that shows the form (its inputs, selects and
textareas, with their current values and options, so that many examples
are nearly valid and reach the code behind the form). The forms are
declared beside each process's tests (`FORMS` of its access_entries.py,
collected by tests/access_registry.py); a view that takes a POST without
an entry fails `test_every_form_is_fuzzed`."""

import logging
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.access_registry import table, takes_posted_input, url_entries
from tests.access_world import _isolated_storage, world  # noqa: F401 (fixtures)

EXAMPLES_PER_FORM = 12
ALLOWED = {200, 302, 303, 400, 403, 404, 405, 409, 413, 429}
PROJECT_APPS = ("workflows", "awards", "modelhome", "cadres", "congress")

NASTY = [
    "", " ", "\x00", "a\x00b", "-1", "0", "-0.5", "1e309", "NaN", "99999999999999999999999", "2024-02-30",
    "0000-00-00", "9999-12-31", "31/12/2024", "2024-13-01T25:61", "<script>alert(1)</script>", "' OR 1=1 --",
    "𠜎𠜱𡿺", "\u202e\u200b", "[]", "{}", "on", "../../etc/passwd", "长" * 5000,
]
text = st.one_of(
    st.sampled_from(NASTY), st.text(max_size=60), st.text(min_size=200, max_size=2000),
    st.integers(-10**15, 10**15).map(str), st.floats(allow_nan=True).map(str),
)


class FormFields(HTMLParser):
    """The fields of the POST forms of a page whose action is `target`:
    {name: (type, [values seen: current value, options])}."""

    def __init__(self, page_url, target):
        super().__init__()
        self.page_url, self.target = page_url, urlsplit(target).path
        self.fields, self.inside, self.select = {}, False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urlsplit(urljoin(self.page_url, a.get("action") or self.page_url)).path
            self.inside = (a.get("method") or "").lower() == "post" and action == self.target
        elif not self.inside or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            values = self.fields.setdefault(a["name"], (kind, []))[1]
            if a.get("value") is not None:
                values.append(a["value"])
        elif tag in ("select", "textarea"):
            self.fields.setdefault(a["name"], (tag, []))
            self.select = a["name"] if tag == "select" else None
        if tag == "option" and self.select:
            self.fields[self.select][1].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def fields_of(client, pages, target):
    """The form's fields, read on the first of `pages` that shows it."""
    for page in pages:
        response = client.get(page)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            parser = FormFields(page, target)
            parser.feed(response.content.decode())
            if parser.fields:
                return parser.fields
    return {}


def value_for(kind, seen):
    if kind == "file":
        return st.builds(
            lambda name, data, ctype: SimpleUploadedFile(name or "x", data, content_type=ctype),
            st.text(max_size=30).filter(lambda n: "\x00" not in n and "/" not in n), st.binary(max_size=3000),
            st.sampled_from(["application/pdf", "image/png", "application/octet-stream", "text/plain",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]),
        )
    choices = [v for v in seen if v is not None]
    return st.one_of(st.sampled_from(choices), text) if choices else text


def form_data(fields):
    """A dict of some of the fields (a field left out is a field not sent)."""
    return st.fixed_dictionaries({}, optional={
        name: st.one_of(value_for(kind, seen), st.lists(value_for(kind, seen), min_size=2, max_size=3))
        if kind != "file" else value_for(kind, seen)
        for name, (kind, seen) in fields.items()
    })


def models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and not m._meta.proxy]


def high_water():
    """Per model, what tells the rows added later: the highest integer key,
    or the keys themselves (a ballot's key is a UUID, which has no MAX)."""
    marks = {}
    for m in models():
        if m._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
            marks[m] = m.objects.aggregate(top=Max("pk"))["top"] or 0
        else:
            marks[m] = set(m.objects.values_list("pk", flat=True))
    return marks


def added_since(model, mark):
    rows = model.objects.exclude(pk__in=mark) if isinstance(mark, set) else model.objects.filter(pk__gt=mark)
    return list(rows)


def test_every_form_is_fuzzed():
    t = table()
    assert not t.twice, f"entries declared twice: {t.twice}"
    posting = {name for name, _, view in url_entries() if takes_posted_input(view)}
    missing = sorted(posting - set(t.forms) - set(t.not_fuzzed))
    assert not missing, f"views that take a POST with no FORMS entry in an access_entries.py: {missing}"
    stale = sorted((set(t.forms) | set(t.not_fuzzed)) - {name for name, _, _ in url_entries()})
    assert not stale, f"entries for URLs that no longer exist: {stale}"


def fuzz(name, entry, world):
    """Post generated input to the form of `entry` as its persona: (the
    statuses answered, or None when the page shows no such form; the
    fields read; the failure or None). The
    generated kinds' forms go through here too
    (tests/awards/kinds/test_generated_access.py)."""
    client = Client()
    if entry.persona != "anonymous":
        client.force_login(world.users[entry.persona])
    target = entry.url(world)
    fields = fields_of(client, [page(world) for page in (entry.host, entry.url) if page], target)
    if not (fields or entry.button):
        return None, fields, f"{name}: no field of a form posting to {target} on its page"
    answers = []

    # No shrinking: a failing example is reported as generated (each
    # shrinking step is a request; the run keeps to its time budget).
    @settings(max_examples=EXAMPLES_PER_FORM, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(data=form_data(fields))
    def post(data):
        cache.clear()  # rate limits count per address
        with transaction.atomic():
            before = high_water()
            response = client.post(target, data)  # a 500 raises here, with the example
            assert response.status_code in ALLOWED, (name, response.status_code, data)
            for model, mark in before.items():
                for row in added_since(model, mark):
                    row.full_clean()
            answers.append(response.status_code)
            transaction.set_rollback(True)

    try:
        post()
    except Exception as exc:  # reported with the others, the example included
        notes = " ".join(getattr(exc, "__notes__", []))  # hypothesis's falsifying example
        return answers, fields, f"{name}: {type(exc).__name__}: {str(exc)[:1000]} {notes[:1500]}"
    return answers, fields, None


@pytest.mark.django_db
def test_forms_fuzzed(world):
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # refusals are expected
    started, examples, fuzzed, failures = time.monotonic(), 0, [], []
    for name, entry in sorted(table().forms.items()):
        answers, fields, failure = fuzz(name, entry, world)
        if failure:
            failures.append(failure)
        if answers is None:
            continue
        examples += len(answers)
        fuzzed.append(f"{name} ({len(fields)} fields: {sorted(set(answers))})")
    print(f"\nforms fuzzed: {len(fuzzed)}, examples run: {examples}, in {time.monotonic() - started:.1f} s")
    print("\n".join(fuzzed))
    assert not failures, "\n\n".join(failures)
