"""A kind's file field taking several files, and a date of birth checked
against the form's ID number, on the pages a union hands a case in on:
several files saved as attachments of the field's kind, listed on the
case page and the printed form and downloaded; too many, too big or
wrong ones refused in Chinese with nothing written to disk; what passed
its checks kept across a post that came back with errors; the files kept
across a return and a second round; the editor offering both options and
a kind carrying them through export and import."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from awards.kinds.models import CampaignKind, KindCase
from awards.kinds.models import KindCaseState as S
from awards.roles import Role
from tests.awards.kinds.conftest import FIELDS
from tests.awards.kinds.test_campaigns_and_cases import _decide
from tests.awards.kinds.test_kinds import editor_post
from tests.awards.kinds.test_starters import BrowserForm
from tests.conftest import PDF_BYTES, make_org, make_user, valid_id_number
from workflows.models import Attachment, OrgKind

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ID_NUMBER = valid_id_number("11010119850301001")  # born 1985-03-01
BIRTH = {"key": "birth_date", "type": "date", "label": "出生日期", "required": True, "not_future": True,
         "matches_id": "id_number"}
PAPERS = {"key": "papers", "type": "file", "label": "附件", "required": False, "types": ["pdf", "png"], "max_mb": 1,
          "multiple": True, "max_files": 3}
PHOTO = {"key": "photo", "type": "file", "label": "照片", "required": True, "types": ["png"]}


def _pdf(name, content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _post(**changes):
    data = {"case-organisation": "", "case-name": "张三", "action": "submit", "answers-name": "张三",
            "answers-id_number": ID_NUMBER, "answers-mobile": "13800138000", "answers-birth_date": "1985-03-01",
            "answers-deeds": "长期从事工会工作，成绩突出。"}
    data.update(changes)
    return data


def _files_on_disk(settings):
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def campaign(make_kind, open_campaign):
    return open_campaign(make_kind(steps=("intermediate_review",), fields=[*FIELDS, BIRTH, PAPERS]))


def _hand_in(client, tree, campaign, data, **extra):
    client.force_login(tree.submitter)
    data = {**data, "case-organisation": data["case-organisation"] or tree.union_a1.pk}
    return client.post(reverse("kinds:case_new", args=[campaign.pk]), data, HTTP_ACCEPT_LANGUAGE="zh-hans",
                       **extra)


def test_several_files_are_saved_listed_printed_and_downloaded(client, tree, campaign):
    files = [_pdf("职代会会议纪要.pdf"), SimpleUploadedFile("现场照片.png", PNG_BYTES), _pdf("获奖证书.pdf", PDF_BYTES + b"2")]
    answer = _hand_in(client, tree, campaign, _post(**{"answers-papers": files}))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    case = KindCase.objects.get()
    saved = list(case.attachment_files.order_by("pk"))
    assert [(a.kind, a.original_name, a.content_type) for a in saved] == [
        ("papers", "职代会会议纪要.pdf", "application/pdf"), ("papers", "现场照片.png", "image/png"),
        ("papers", "获奖证书.pdf", "application/pdf")]
    page = client.get(case.get_absolute_url()).content.decode()
    for attachment, content in zip(saved, (PDF_BYTES, PNG_BYTES, PDF_BYTES + b"2")):
        url = reverse("attachment_download", args=[attachment.pk])
        assert url in page and attachment.original_name in page
        download = client.get(url)
        assert download.status_code == 200 and b"".join(download.streaming_content) == content
    printed = client.get(reverse("kinds:case_printed", args=[case.pk]))
    data = b"".join(printed.streaming_content) if printed.streaming else printed.content
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "职代会会议纪要.pdf；现场照片.png；获奖证书.pdf" in text
    # Another branch's submitter reads none of them.
    client.force_login(tree.reviewer_b)
    assert client.get(reverse("attachment_download", args=[saved[0].pk])).status_code == 404


@pytest.mark.parametrize("files, message", [
    ([_pdf(f"{n}.pdf") for n in range(4)], "此处最多可上传3个文件，已选择4个。"),
    ([_pdf("小.pdf"), _pdf("大.pdf", PDF_BYTES + b"0" * (1024 * 1024))], "“大.pdf”超过1 MB。"),
    ([_pdf("小.pdf"), _pdf("假.pdf", b"MZ\x90\x00 not a pdf")], "“假.pdf”的扩展名为 PDF，但文件内容并非 PDF 格式。"),
], ids=["too-many", "too-big", "wrong-content"])
def test_too_many_too_big_or_wrong_files_are_refused_in_chinese_and_nothing_is_written(
        client, tree, campaign, settings, files, message):
    for upload in files:
        upload.seek(0)
    answer = _hand_in(client, tree, campaign, _post(**{"answers-papers": files}))
    page = answer.content.decode()
    assert answer.status_code == 200 and message in page
    assert "张三" in page and "长期从事工会工作" in page  # what was typed stays
    assert not KindCase.objects.exists() and not Attachment.objects.exists()
    # The field with a refused file is not held either: nothing reached the disk.
    assert _files_on_disk(settings) == []
    assert 'name="held_attachments"' not in page


def _held_keys(page):
    return re.findall(r'name="held_attachments" value="([0-9a-f]+)"', page)


def test_files_are_kept_across_a_post_that_came_back_with_errors(
        client, tree, make_kind, open_campaign, settings, django_capture_on_commit_callbacks):
    campaign = open_campaign(make_kind(fields=[*FIELDS, BIRTH, PAPERS, PHOTO]))
    # A date of birth that is not the one the ID number holds: the files chosen are kept.
    first = _hand_in(client, tree, campaign, _post(**{
        "answers-birth_date": "1985-03-02", "answers-papers": [_pdf("会议纪要.pdf"), _pdf("证明.pdf")],
        "answers-photo": SimpleUploadedFile("照片.png", PNG_BYTES)}))
    page = first.content.decode()
    assert first.status_code == 200 and "出生日期与身份证号码不一致：身份证号码中的出生日期为1985-03-01。" in page
    assert not KindCase.objects.exists()
    kept = _held_keys(page)
    assert len(kept) == 3 and all(name in page for name in ("会议纪要.pdf", "证明.pdf", "照片.png"))
    # The required photo is answered by the kept one: the browser is not told to ask again.
    assert not re.search(r'<input[^>]*name="answers-photo"[^>]*required', page)

    # Kept files count toward the field's most: two kept and two new are four.
    again = _hand_in(client, tree, campaign, _post(**{
        "answers-papers": [_pdf("a.pdf"), _pdf("b.pdf")], "held_attachments": kept,}))
    assert again.status_code == 200 and "此处最多可上传3个文件，已选择4个。" in again.content.decode()
    kept = _held_keys(again.content.decode())
    assert len(kept) == 3 and not KindCase.objects.exists()

    # Corrected, with one file more: the kept and the new are saved together.
    with django_capture_on_commit_callbacks(execute=True):
        done = _hand_in(client, tree, campaign, _post(**{
            "answers-papers": [_pdf("补充材料.pdf")], "held_attachments": kept,
            "case-organisation": tree.union_a1.pk}))
    assert done.status_code == 302, done.content.decode()[:2000]
    case = KindCase.objects.get()
    assert case.state == S.CONFIRMING and case.answers["birth_date"] == "1985-03-01"
    assert sorted((a.kind, a.original_name) for a in case.attachment_files.all()) == [
        ("papers", "会议纪要.pdf"), ("papers", "补充材料.pdf"), ("papers", "证明.pdf"),
        ("photo", "照片.png")]
    # The kept copies are gone once saved; only the case's files are on disk.
    assert not [name for name in _files_on_disk(settings) if name.startswith("held/")]
    assert len(_files_on_disk(settings)) == 4
    # A key of this session is not honoured twice.
    client.post(reverse("kinds:case_new", args=[campaign.pk]),
                _post(**{"held_attachments": kept, "case-organisation": tree.union_a1.pk,
                         "answers-photo": SimpleUploadedFile("新照片.png", PNG_BYTES)}))
    assert Attachment.objects.count() == 5


def test_a_refusal_at_hand_in_keeps_the_files_and_leaves_nothing_behind(
        client, tree, campaign, settings):
    from tests.awards.kinds.test_route_steps import _places

    _places(client, tree, campaign, town_a=1)
    assert _hand_in(client, tree, campaign, _post()).status_code == 302  # town A's one place taken
    on_disk = _files_on_disk(settings)
    refused = _hand_in(client, tree, campaign, _post(**{"answers-papers": [_pdf("纪要.pdf"), _pdf("证明.pdf")]}))
    page = refused.content.decode()
    assert refused.status_code == 200 and KindCase.objects.count() == 1 and not Attachment.objects.exists()
    kept = _held_keys(page)
    assert len(kept) == 2 and "纪要.pdf" in page and "证明.pdf" in page
    # Only the two kept copies were added to the disk: the files the refused save wrote are gone.
    added = sorted(set(_files_on_disk(settings)) - set(on_disk))
    assert len(added) == 2 and all(name.startswith("held/") for name in added)
    # Saved as a draft instead (no place needed), they are the draft's.
    saved = _hand_in(client, tree, campaign, _post(**{"held_attachments": kept, "action": "save"}))
    assert saved.status_code == 302
    draft = KindCase.objects.get(state=S.DRAFT)
    assert sorted(a.original_name for a in draft.attachment_files.all()) == ["纪要.pdf", "证明.pdf"]


def test_a_new_file_replaces_the_kept_one_of_a_field_of_one_file(client, tree, make_kind, open_campaign):
    campaign = open_campaign(make_kind(fields=[*FIELDS, BIRTH, PHOTO]))
    first = _hand_in(client, tree, campaign, _post(**{
        "answers-birth_date": "1990-01-01", "answers-photo": SimpleUploadedFile("旧照片.png", PNG_BYTES),}))
    kept = _held_keys(first.content.decode())
    assert len(kept) == 1
    done = _hand_in(client, tree, campaign, _post(**{
        "held_attachments": kept, "answers-photo": SimpleUploadedFile("新照片.png", PNG_BYTES),}))
    assert done.status_code == 302
    assert [a.original_name for a in KindCase.objects.get().attachment_files.all()] == ["新照片.png"]


def test_a_birth_date_is_checked_against_the_id_number_only_when_both_are_given(client, tree, make_kind,
                                                                                open_campaign):
    campaign = open_campaign(make_kind(fields=[{**f, "required": False} for f in (*FIELDS, BIRTH)]))
    client.force_login(tree.submitter)
    url = reverse("kinds:case_new", args=[campaign.pk])
    common = {"case-organisation": tree.union_a1.pk, "action": "save"}
    assert client.post(url, _post(**common, **{"answers-id_number": ""})).status_code == 302
    assert client.post(url, _post(**common, **{"answers-birth_date": ""})).status_code == 302
    refused = client.post(url, _post(**common, **{"answers-birth_date": "1985-13-01"}))
    assert refused.status_code == 200  # not a date: said as such, not compared
    assert "不一致" not in refused.content.decode()
    assert KindCase.objects.count() == 2


def test_files_are_kept_across_a_return_and_a_second_round(client, tree, campaign):
    _hand_in(client, tree, campaign, _post(**{"answers-papers": [_pdf("第一轮纪要.pdf"), _pdf("第一轮证明.pdf")]}))
    case = KindCase.objects.get()
    case = _decide(client, tree.reviewer_a, case, "return", comment="请补充材料")
    first = [[a.pk, a.original_name] for a in case.attachment_files.order_by("pk")]

    client.force_login(tree.submitter)
    url = reverse("kinds:case_revise", args=[case.pk])
    revise = {k: v for k, v in _post().items() if k.startswith("answers-")}
    # A date of birth off by a day is refused on the revision too, the new files kept.
    wrong = client.post(url, {**revise, "answers-birth_date": "1985-03-11", "version": case.version,
                              "answers-papers": [_pdf("补充说明.pdf"), _pdf("补充照片.pdf")]},
                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert wrong.status_code == 200 and "出生日期与身份证号码不一致" in wrong.content.decode()
    kept = _held_keys(wrong.content.decode())
    assert len(kept) == 2
    done = client.post(url, {**revise, "version": case.version, "held_attachments": kept,
                             "answers-papers": [_pdf("补充证明.pdf")]})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.round == 2 and case.state == S.INTERMEDIATE
    [kept_round] = case.rounds.all()
    assert kept_round.attachments == first  # the first round's files, as they were
    names = [a.original_name for a in case.attachment_files.order_by("pk")]
    assert names == ["第一轮纪要.pdf", "第一轮证明.pdf", "补充说明.pdf", "补充照片.pdf", "补充证明.pdf"]
    assert {a.kind for a in case.attachment_files.all()} == {"papers"}
    client.force_login(tree.reviewer_a)
    page = client.get(case.get_absolute_url()).content.decode()
    assert all(name in page for name in names)


# The editor ------------------------------------------------------------------------------------

def _editor_rows():
    return {
        "fields-TOTAL_FORMS": "6",
        "fields-3-order": "4", "fields-3-key": "birth_date", "fields-3-type": "date", "fields-3-label": "出生日期",
        "fields-3-required": "on", "fields-3-not_future": "on", "fields-3-matches_id": "id_number",
        "fields-4-order": "5", "fields-4-key": "papers", "fields-4-type": "file", "fields-4-label": "附件",
        "fields-4-file_types": ["pdf", "jpg"], "fields-4-max_mb": "20", "fields-4-multiple": "on",
        "fields-4-max_files": "5",
    }


def test_the_editor_offers_both_options_and_a_kind_carries_them_out_and_in(client, tree):
    client.force_login(tree.admin_d)
    # The date may be checked against the form's ID number fields only.
    page = client.get(reverse("kinds:create"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "可上传多个文件（文件）" in page and "须与此身份证号码字段中的出生日期一致（日期）" in page
    wrong = client.post(reverse("kinds:create"), editor_post(**{**_editor_rows(), "fields-3-matches_id": "deeds"}))
    assert wrong.status_code == 400 and not CampaignKind.objects.exists()
    assert client.post(reverse("kinds:create"), editor_post(**_editor_rows())).status_code == 302
    kind = CampaignKind.objects.get()
    fields = {f["key"]: f for f in kind.current_version.definition["fields"]}
    assert fields["birth_date"] == {"key": "birth_date", "type": "date", "label": "出生日期", "required": True,
                                    "public": False, "not_future": True, "matches_id": "id_number"}
    assert (fields["papers"]["multiple"], fields["papers"]["max_files"], fields["papers"]["types"]) == (
        True, 5, ["pdf", "jpg"])

    # Opened again, the editor shows them as saved: saved unchanged, the version is the same.
    edit = client.get(reverse("kinds:edit", args=[kind.pk])).content.decode()
    assert re.search(r'<option value="id_number" selected>身份证号 \(id_number\)</option>', edit)
    browser = BrowserForm()
    browser.feed(edit)
    assert client.post(reverse("kinds:edit", args=[kind.pk]), browser.data).status_code == 302
    kind.refresh_from_db()
    assert kind.versions.count() == 1 and {f["key"]: f for f in kind.current_version.definition["fields"]} == fields

    exported = client.get(reverse("kinds:export", args=[kind.pk])).content
    district = make_org("邻区总工会", "other-district", OrgKind.DISTRICT)
    foreign_admin = make_user("admin_other", (district, Role.DISTRICT_ADMIN))
    client.force_login(foreign_admin)
    assert client.post(reverse("kinds:import"), {"file": SimpleUploadedFile("k.json", exported)}).status_code == 302
    imported = CampaignKind.objects.get(district=district).current_version
    assert {f["key"]: f for f in imported.definition["fields"]} == fields


def test_a_refusal_keeps_a_file_too_large_to_be_held_in_memory(client, tree, make_kind, open_campaign, settings):
    # Past FILE_UPLOAD_MAX_MEMORY_SIZE an upload is a temporary file on
    # disk, which saving the attachment moves away: keeping it after the
    # refused save must still read it.
    from tests.awards.kinds.test_route_steps import _places

    campaign = open_campaign(make_kind(steps=("intermediate_review",), fields=[*FIELDS, BIRTH,
                                                                            {**PAPERS, "max_mb": 10}]))
    _places(client, tree, campaign, town_a=1)
    assert _hand_in(client, tree, campaign, _post()).status_code == 302  # the one place taken
    big = PDF_BYTES + b"0" * (settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1024)
    client.force_login(tree.submitter)
    refused = client.post(reverse("kinds:case_new", args=[campaign.pk]),
                          {**_post(), "case-organisation": tree.union_a1.pk,
                           "answers-papers": [_pdf("大文件.pdf", big)]})
    assert refused.status_code == 200 and not Attachment.objects.exists()
    [key] = _held_keys(refused.content.decode())
    saved = _hand_in(client, tree, campaign, _post(**{"held_attachments": [key], "action": "save"}))
    assert saved.status_code == 302
    [attachment] = Attachment.objects.all()
    assert attachment.original_name == "大文件.pdf" and attachment.file.read() == big


def test_a_required_file_given_in_the_first_round_is_not_asked_again(client, tree, make_kind, open_campaign):
    campaign = open_campaign(make_kind(steps=("intermediate_review",), fields=[*FIELDS, BIRTH, PHOTO]))
    assert _hand_in(client, tree, campaign, _post(**{
        "answers-photo": SimpleUploadedFile("照片.png", PNG_BYTES)})).status_code == 302
    case = _decide(client, tree.reviewer_a, KindCase.objects.get(), "return", comment="请核对事迹")
    client.force_login(tree.submitter)
    url = reverse("kinds:case_revise", args=[case.pk])
    page = client.get(url).content.decode()
    assert 'name="answers-photo"' in page and not re.search(r'<input[^>]*name="answers-photo"[^>]*required', page)
    revise = {k: v for k, v in _post().items() if k.startswith("answers-")}
    assert client.post(url, {**revise, "version": case.version}).status_code == 302
    case.refresh_from_db()
    assert case.round == 2 and [a.original_name for a in case.attachment_files.all()] == ["照片.png"]
