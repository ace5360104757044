"""Documents rendered in a request are rendered once per content
(workflows.documents.pdf_cache): the cache itself (keys, atomic writes,
pruning), then the three documents a page renders — the award list, the
public notice and the printed form (推荐审批表) of the May Day kinds —
through their views: a second request renders nothing, a change of
content renders anew, and the view's access check comes before the cache."""

import io
import os
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from awards.kinds.models import KindCase
from tests.conftest import MEDAL_ANSWERS
from workflows.notices.opening import notices_of as campaign_notices
from workflows.documents import pdf_cache
from workflows.management.commands.run_scheduler import DAILY_JOBS
from workflows.models import AuditEntry, NoticeEntry, NoticeStatus

ID_NUMBER = MEDAL_ANSWERS["id_number"]
MASKED = ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:]


@pytest.fixture
def renders(pdf_renders):
    return pdf_renders


def page(text):
    return f"<html><body><p>{text}</p></body></html>"


def pdf_text(data):
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "").replace(" ", "")


def read(html):
    return pdf_cache.pdf_of(html)


# The cache --------------------------------------------------------------------------

def test_same_content_renders_once_and_reads_the_same_bytes(settings, renders):
    first_key, first = read(page("first"))
    second_key, second = read(page("first"))
    assert len(renders) == 1
    assert first == second and first.startswith(b"%PDF")
    assert first_key == second_key == pdf_cache.content_key(page("first"))
    # Stored in the private storage under its key, nowhere else.
    entry = pdf_cache.entry_path(first_key)
    assert entry.read_bytes() == first
    assert entry.name == f"{first_key}.pdf" and len(first_key) == 64
    assert entry.is_relative_to(settings.PRIVATE_STORAGE_ROOT / "document-cache")


def test_changed_content_or_renderer_is_a_new_render(renders, monkeypatch):
    key, _ = read(page("one"))
    other, data = read(page("two"))
    assert other != key and len(renders) == 2 and "two" in pdf_text(data)
    # A new WeasyPrint or new fonts give every document a new key.
    monkeypatch.setattr(pdf_cache, "renderer_fingerprint", lambda: "weasyprint 99")
    assert read(page("one"))[0] != key and len(renders) == 3


def test_a_failed_write_leaves_no_entry_and_no_half_file(renders, monkeypatch):
    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(pdf_cache.os, "replace", crash)
    with pytest.raises(OSError):
        read(page("crash"))
    key = pdf_cache.content_key(page("crash"))
    assert not pdf_cache.entry_path(key).exists()
    assert list(pdf_cache.entry_path(key).parent.iterdir()) == []
    monkeypatch.undo()
    _, data = read(page("crash"))
    assert pdf_cache.entry_path(key).read_bytes() == data


def age(path, days):
    stamp = time.time() - days * 86400
    os.utime(path, (stamp, stamp))


def test_prune_deletes_entries_unused_for_the_retention(renders):
    old_key, _ = read(page("old"))
    used_key, _ = read(page("used"))
    fresh_key, _ = read(page("fresh"))
    for key in (old_key, used_key):
        age(pdf_cache.entry_path(key), 20)
    read(page("used"))  # a read marks the entry used
    assert len(renders) == 3
    temp = pdf_cache.entry_path(fresh_key).parent / f"{pdf_cache.TEMP_PREFIX}crashed.pdf"
    temp.write_bytes(b"%PDF-half")
    age(temp, 1)

    deleted, freed = pdf_cache.prune(max_age_days=14)
    assert deleted == 2 and freed > 0
    assert not pdf_cache.entry_path(old_key).exists() and not temp.exists()
    assert pdf_cache.entry_path(used_key).exists() and pdf_cache.entry_path(fresh_key).exists()
    read(page("old"))  # pruned: rendered again when asked for
    assert len(renders) == 4


def test_pruning_is_a_daily_job(settings, renders):
    assert "prune_document_cache" in DAILY_JOBS
    settings.UNIONFLOW_DOCUMENT_CACHE_DAYS = 3
    key, _ = read(page("stale"))
    age(pdf_cache.entry_path(key), 4)
    out = io.StringIO()
    call_command("prune_document_cache", stdout=out)
    assert "1 cached document(s) pruned" in out.getvalue()
    assert not pdf_cache.entry_path(key).exists()


# The documents, through their views ---------------------------------------------------

def fetch(client, url, etag=None):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    response = client.get(url, **headers)
    return response, response.content


def assert_rendered_once_then_cached(client, url, renders):
    """Two requests, one render, the same bytes; the ETag is the entry's
    key and a conditional request is a 304. Returns (ETag, the PDF)."""
    before = len(renders)
    first, data = fetch(client, url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    second, again = fetch(client, url)
    assert len(renders) == before + 1
    assert again == data and data.startswith(b"%PDF")
    etag = first["ETag"]
    assert second["ETag"] == etag and pdf_cache.entry_path(etag.strip('"')).read_bytes() == data
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    not_modified, _ = fetch(client, url, etag)
    assert not_modified.status_code == 304 and len(renders) == before + 1
    return etag, data


def assert_refused_though_cached(client, url, etag, status=404):
    response, body = fetch(client, url, etag)
    assert response.status_code == status and b"%PDF" not in body and not response.has_header("ETag")


@pytest.fixture
def awarded(make_mayday_case, grant_case):
    cases = [make_mayday_case(name="张三"), make_mayday_case(name="王五")]
    for case in cases:
        grant_case(case)
    return cases


def test_award_list_renders_once_per_content(client, tree, mayday_campaign, awarded, renders):
    url = reverse("kinds:approved_list", args=[mayday_campaign.pk, "pdf"])
    client.force_login(tree.admin_d)
    etag, data = assert_rendered_once_then_cached(client, url, renders)
    assert "张三" in pdf_text(data) and "张三丰" not in pdf_text(data)

    KindCase.objects.filter(pk=awarded[0].pk).update(name="张三丰")
    response, changed = fetch(client, url, etag)  # the browser's copy is stale: a new render, not a 304
    assert response.status_code == 200 and response["ETag"] != etag and len(renders) == 2
    assert "张三丰" in pdf_text(changed)

    # Outside the lists' readers (kinds: the district's and the towns'
    # reviewers read them; a union's people do not).
    for user in (tree.outsider, tree.submitter):
        client.force_login(user)
        assert_refused_though_cached(client, url, response["ETag"])
    assert len(renders) == 2


def test_public_notice_renders_once_per_content(client, tree, mayday_campaign, make_mayday_case, renders):
    from workflows.steps.decisions import decide
    from awards.kinds.notices import do_publish_notice

    case = make_mayday_case(name="张三")
    for decision, user in (("confirm", tree.chair), ("forward", tree.reviewer_a), ("approve", tree.reviewer_d)):
        decide(decision=decision, case=case, actor=user)
    notice = do_publish_notice(campaign=mayday_campaign, actor=tree.admin_d)
    url = reverse("kinds:notice_pdf", args=[mayday_campaign.pk])
    client.force_login(tree.admin_d)
    etag, data = assert_rendered_once_then_cached(client, url, renders)
    assert "张三" in pdf_text(data)

    late = make_mayday_case(name="李四")
    NoticeEntry.objects.create(
        notice=notice, content_type=ContentType.objects.get_for_model(KindCase), object_id=late.pk, position=2,
        published={"organisation": "甲一机械厂工会", "name": "李四", "工作单位": "甲一机械厂"},
    )
    response, changed = fetch(client, url)
    assert response["ETag"] != etag and len(renders) == 2
    assert "张三" in pdf_text(changed) and "李四" in pdf_text(changed)
    assert campaign_notices(mayday_campaign).get().status == NoticeStatus.OPEN

    client.force_login(tree.outsider)
    assert_refused_though_cached(client, url, response["ETag"])
    client.force_login(tree.reviewer_a)
    assert_refused_though_cached(client, url, response["ETag"], status=403)
    assert len(renders) == 2


def test_recommendation_form_renders_once_per_content(client, tree, make_mayday_case, renders):
    case = make_mayday_case(name="张三")
    url = reverse("kinds:case_printed", args=[case.pk])
    client.force_login(tree.chair)
    etag, data = assert_rendered_once_then_cached(client, url, renders)
    assert "张三" in pdf_text(data) and MASKED in pdf_text(data) and ID_NUMBER not in pdf_text(data)

    KindCase.objects.filter(pk=case.pk).update(name="张三丰")
    response, changed = fetch(client, url)
    assert response["ETag"] != etag and len(renders) == 2 and "张三丰" in pdf_text(changed)

    client.force_login(tree.reviewer_b)  # another branch
    assert_refused_though_cached(client, url, response["ETag"])
    assert len(renders) == 2


def test_the_full_id_form_is_never_kept_and_every_reading_is_recorded(client, tree, make_mayday_case, renders):
    """A form carrying the full ID number is rendered for its request and
    stored nowhere: not in the document cache, not in the browser."""
    case = make_mayday_case()
    url = reverse("kinds:case_printed", args=[case.pk])
    client.force_login(tree.chair)
    fetch(client, url)  # the masked form: cached
    fetch(client, url + "?full=1")  # the chair may not read it in full: the masked form again
    cached = {p.name for p in pdf_cache.cache_root().rglob("*.pdf")}
    assert len(renders) == 1
    client.force_login(tree.reviewer_d)
    first, data = fetch(client, url + "?full=1")
    second, _ = fetch(client, url + "?full=1")
    assert len(renders) == 3  # each full-ID reading renders afresh
    assert first["Cache-Control"] == second["Cache-Control"] == "no-store" and not first.has_header("ETag")
    assert ID_NUMBER in pdf_text(data)
    assert {p.name for p in pdf_cache.cache_root().rglob("*.pdf")} == cached
    for entry in pdf_cache.cache_root().rglob("*.pdf"):
        assert ID_NUMBER not in pdf_text(entry.read_bytes())
    viewed = AuditEntry.objects.filter(action="kinds.case.identity_viewed", object_id=case.pk)
    assert viewed.count() == 2


def test_the_cache_is_kept_under_its_size_cap(settings, tmp_path):
    """Beyond the cap, the entries read longest ago go first."""
    import os

    for number, age in enumerate((300, 200, 100)):
        path = pdf_cache.entry_path(f"{number:02d}" + "a" * 62)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 1000)
        os.utime(path, (time.time() - age, time.time() - age))
    deleted, freed = pdf_cache.prune(max_age_days=14, max_bytes=2000)
    assert (deleted, freed) == (1, 1000)
    left = sorted(p.name[:2] for p in pdf_cache.cache_root().rglob("*.pdf"))
    assert left == ["01", "02"]
