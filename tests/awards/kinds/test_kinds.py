"""Kinds of campaign as data: the district administrator sets one up in
the browser, revisions of a kind in use make a new version, a kind is
exported and imported whole or not at all, and other districts see none
of it."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from awards.kinds import services
from awards.kinds.models import CampaignKind, KindVersion
from awards.roles import Role
from tests.conftest import make_org, make_user
from workflows.audit import history_of
from workflows.models import OrgKind


def editor_post(**changes):
    data = {
        "code": "youxiu", "title": "优秀工会工作者", "applicant": "person", "route": "honour",
        "steps": ["confirm", "notice"], "notice_days": "5", "deadline_confirm": "5", "deadline_district_review": "10",
        "outcomes": "granted|授予|+\nrefused|不予授予", "certificate": "on", "certificate_layout": "default",
        "certificate_title": "优秀工会工作者", "certificate_wording": "授予{name}同志{year}年度优秀工会工作者称号",
        "certificate_issuer": "示范区总工会", "certificate_number_format": "YX{year}-{seq:03d}",
        "approved_list": "on",
        "fields-TOTAL_FORMS": "3", "fields-INITIAL_FORMS": "0", "fields-MIN_NUM_FORMS": "0", "fields-MAX_NUM_FORMS": "60",
        "fields-0-order": "1", "fields-0-key": "name", "fields-0-type": "text", "fields-0-label": "姓名",
        "fields-0-required": "on", "fields-0-public": "on",
        "fields-1-order": "2", "fields-1-key": "id_number", "fields-1-type": "id_number", "fields-1-label": "身份证号",
        "fields-1-required": "on",
        "fields-2-order": "3", "fields-2-key": "deeds", "fields-2-type": "long_text", "fields-2-label": "主要事迹",
    }
    data.update(changes)
    return data


@pytest.fixture
def other_district(db):
    district = make_org("邻区总工会", "other-district", OrgKind.DISTRICT)
    admin = make_user("admin_other", (district, Role.DISTRICT_ADMIN))
    return district, admin


@pytest.mark.django_db
def test_the_district_sets_up_a_kind_in_the_browser(client, tree):
    client.force_login(tree.admin_d)
    response = client.post(reverse("kinds:create"), editor_post())
    kind = CampaignKind.objects.get(code="youxiu")
    assert response.status_code == 302 and response["Location"] == reverse("kinds:detail", args=[kind.pk])
    version = kind.versions.get()
    assert version.number == 1 and version.title == "优秀工会工作者" and kind.district == tree.district
    assert [f["key"] for f in version.definition["fields"]] == ["name", "id_number", "deeds"]
    assert version.definition["route"]["steps"] == ["confirm", "district_review", "notice", "decision"]
    assert version.definition["route"]["deadline_days"] == {"confirm": 5, "district_review": 10}
    assert [e.action for e in history_of(kind)] == ["kinds.kind.created"]
    page = client.get(reverse("kinds:detail", args=[kind.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "优秀工会工作者" in page and "身份证号" in page and "公示" in page


@pytest.mark.django_db
def test_a_bad_kind_is_refused_in_chinese_naming_the_place_and_keeps_what_was_typed(client, tree):
    client.force_login(tree.admin_d)
    bad = editor_post(**{"fields-1-public": "on", "certificate_number_format": "YX{year}", "notice_days": ""})
    with translation.override("zh-hans"):
        response = client.post(reverse("kinds:create"), bad, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 400 and not CampaignKind.objects.exists()
    problems = page[page.index('role="alert"'):]
    problems = problems[:problems.index("</div>")]
    assert "3处问题" in problems
    assert "第2个字段“身份证号”" in problems and "一律不在公示中公开" in problems
    assert "编号格式须包含{seq}" in problems and "公示期为1至30个工作日" in problems
    # What was typed comes back.
    assert 'value="主要事迹"' in page and 'value="YX{year}"' in page


@pytest.mark.django_db
def test_editing_a_kind_in_use_makes_a_new_version_and_running_campaigns_keep_theirs(client, tree):
    client.force_login(tree.admin_d)
    client.post(reverse("kinds:create"), editor_post())
    kind = CampaignKind.objects.get()
    edit = reverse("kinds:edit", args=[kind.pk])
    # Not in use: changed in place.
    client.post(edit, editor_post(title="优秀工会工作者（修订）"))
    assert list(kind.versions.values_list("number", "title")) == [(1, "优秀工会工作者（修订）")]
    services.mark_in_use(kind.versions.get())
    response = client.post(edit, editor_post(title="优秀工会工作者（第二版）", notice_days="7"))
    assert response.status_code == 302
    assert list(KindVersion.objects.filter(kind=kind).order_by("number").values_list("number", "title")) == [
        (1, "优秀工会工作者（修订）"), (2, "优秀工会工作者（第二版）")]
    assert KindVersion.objects.get(kind=kind, number=1).definition["route"]["notice_days"] == 5
    assert [e.action for e in history_of(kind)] == ["kinds.kind.created", "kinds.kind.revised",
                                                   "kinds.kind.versioned"]
    # Saving the same again makes nothing new.
    client.post(edit, editor_post(title="优秀工会工作者（第二版）", notice_days="7"))
    assert kind.versions.count() == 2
    # The page says which version it shows; the old one stays readable.
    assert "v1" in client.get(reverse("kinds:detail", args=[kind.pk]) + "?version=1").content.decode()


@pytest.mark.django_db
def test_other_districts_and_other_users_see_nothing(client, tree, other_district):
    client.force_login(tree.admin_d)
    client.post(reverse("kinds:create"), editor_post())
    kind = CampaignKind.objects.get()
    _, foreign_admin = other_district
    for user in (foreign_admin, tree.reviewer_d, tree.submitter, tree.outsider):
        client.force_login(user)
        for name in ("kinds:detail", "kinds:edit", "kinds:export"):
            assert client.get(reverse(name, args=[kind.pk])).status_code == 404, (user, name)
        assert client.post(reverse("kinds:edit", args=[kind.pk]), editor_post(title="x")).status_code == 404
    for user in (tree.reviewer_d, tree.submitter):
        client.force_login(user)
        assert client.get(reverse("kinds:list")).status_code == 404
    client.force_login(foreign_admin)
    assert "优秀工会工作者" not in client.get(reverse("kinds:list")).content.decode()
    assert KindVersion.objects.get().title == "优秀工会工作者"


@pytest.mark.django_db
def test_a_kind_travels_to_another_district_whole(client, tree, other_district):
    client.force_login(tree.admin_d)
    client.post(reverse("kinds:create"), editor_post())
    kind = CampaignKind.objects.get()
    exported = client.get(reverse("kinds:export", args=[kind.pk]))
    assert exported.status_code == 200 and "filename*=utf-8''" in exported["Content-Disposition"]
    district, foreign_admin = other_district
    client.force_login(foreign_admin)
    upload = SimpleUploadedFile("youxiu.json", exported.content, content_type="application/json")
    response = client.post(reverse("kinds:import"), {"file": upload})
    imported = CampaignKind.objects.get(district=district)
    assert response.status_code == 302
    assert imported.versions.get().fingerprint == kind.versions.get().fingerprint
    assert [e.action for e in history_of(imported)] == ["kinds.kind.created", "kinds.kind.imported"]


@pytest.mark.django_db
def test_a_bad_file_is_refused_naming_what_is_wrong_and_nothing_is_half_made(client, tree, other_district):
    district, foreign_admin = other_district
    make_org("示范区税务局", "tax-bureau", OrgKind.DEPARTMENT, tree.district)
    client.force_login(tree.admin_d)
    client.post(reverse("kinds:create"), editor_post(**{"steps": ["confirm", "notice", "signoffs"],
                                                        "signoffs": ["tax-bureau"]}))
    kind = CampaignKind.objects.get()
    assert kind.versions.get().definition["route"]["signoffs"] == ["tax-bureau"]
    exported = client.get(reverse("kinds:export", args=[kind.pk])).content
    client.force_login(foreign_admin)
    with translation.override("zh-hans"):
        # The neighbouring district has no such department.
        response = client.post(reverse("kinds:import"), {"file": SimpleUploadedFile("k.json", exported)},
                               HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 400 and "tax-bureau" in response.content.decode()
        broken = json.loads(exported)
        broken["definition"]["fields"][0]["type"] = "colour"
        response = client.post(reverse("kinds:import"),
                               {"file": SimpleUploadedFile("k.json", json.dumps(broken).encode())},
                               HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 400 and "colour" in response.content.decode()
        response = client.post(reverse("kinds:import"), {"file": SimpleUploadedFile("k.json", b"%PDF-1.4")},
                               HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 400
    assert not CampaignKind.objects.filter(district=district).exists()


def blank(value):
    # What a browser leaves out of a post (0 is not blank).
    return value is None or value is False or value == "" or value == []


@pytest.mark.django_db
def test_the_sample_kind_is_sound_and_round_trips_through_the_editor(tree):
    from awards.kinds.definition import problems_of_kind
    from awards.kinds.forms import FieldRowFormSet, KindForm, from_definition, to_definition
    from demo.kinds import OUTSTANDING_UNION_WORKER

    assert problems_of_kind(OUTSTANDING_UNION_WORKER) == []
    initial, rows = from_definition("youxiu", OUTSTANDING_UNION_WORKER)
    # What the editor shows, posted back unchanged, is the same definition.
    form = KindForm(initial=initial)
    formset = FieldRowFormSet(initial=rows, prefix="fields")
    data = {}
    for bound in form:
        value = bound.value()
        if not blank(value):
            data[bound.html_name] = "on" if value is True else value
    data.update({"fields-TOTAL_FORMS": str(len(rows) + 3), "fields-INITIAL_FORMS": str(len(rows)),
                 "fields-MIN_NUM_FORMS": "0", "fields-MAX_NUM_FORMS": "60"})
    for row in formset.forms:
        for bound in row:
            value = bound.value()
            if not blank(value):
                data[bound.html_name] = "on" if value is True else value
    posted_form, posted_rows = KindForm(data), FieldRowFormSet(data, prefix="fields")
    assert posted_form.is_valid(), posted_form.errors
    assert posted_rows.is_valid(), posted_rows.errors
    made = to_definition(posted_form, posted_rows)
    for made_field, sample_field in zip(made["fields"], OUTSTANDING_UNION_WORKER["fields"]):
        assert made_field == sample_field
    assert made == OUTSTANDING_UNION_WORKER


BAD_SHAPES = [
    ("applicant", ["person"]),
    ("route.template", {}),
    ("route.signoffs", [{"x": 1}]),
    ("ends_in.certificate.layout", ["default"]),
    ("fields.0.type", ["text"]),
    ("fields.6.types", [["pdf"]]),
    ("fields.4.max", "NaN"),
    ("ends_in.approved_list", "no"),
    ("route.steps", ["decision", "notice", "district_review", "district_review", "confirm"]),
    ("route.outcomes.0.label", None),
    ("junk", 1),
    ("ends_in.certificate.number_format", "{seq:>999999999}"),
    ("ends_in.certificate.wording", "{name!r}"),
]


def _set(definition, path, value):
    keys = path.split(".")
    target = definition
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value


@pytest.mark.django_db
@pytest.mark.parametrize("path, value", BAD_SHAPES, ids=[path for path, _ in BAD_SHAPES])
def test_a_file_of_the_wrong_shape_is_refused_by_name_never_a_500(client, tree, path, value):
    import copy

    from demo.kinds import OUTSTANDING_UNION_WORKER

    definition = copy.deepcopy(OUTSTANDING_UNION_WORKER)
    definition["fields"][4] = {"key": "amount", "type": "money", "label": "金额"}
    if path == "route.signoffs":
        definition["route"]["steps"] = ["confirm", "intermediate_review", "district_review", "signoffs", "notice",
                                        "decision"]
    _set(definition, path, value)
    data = json.dumps({"file": services.FILE_MARK, "format": 1, "code": "bad", "definition": definition}).encode()
    client.force_login(tree.admin_d)
    response = client.post(reverse("kinds:import"), {"file": SimpleUploadedFile("k.json", data)})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not CampaignKind.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b'{"file": "unionflow-campaign-kind", "x": NaN}', b"[" * 50000 + b"]" * 50000,
                                     b'{"file": "unionflow-campaign-kind", "format": 1, "code": "youxiu\n"}'])
def test_files_that_are_no_kind_are_refused(client, tree, content):
    client.force_login(tree.admin_d)
    response = client.post(reverse("kinds:import"), {"file": SimpleUploadedFile("k.json", content)})
    assert response.status_code == 400 and not CampaignKind.objects.exists()


@pytest.mark.django_db
def test_a_save_over_someone_elses_later_change_is_refused_and_keeps_what_was_typed(client, tree):
    client.force_login(tree.admin_d)
    client.post(reverse("kinds:create"), editor_post())
    kind = CampaignKind.objects.get()
    opened = kind.versions.get().fingerprint
    # Another administrator saves first.
    client.post(reverse("kinds:edit", args=[kind.pk]), editor_post(title="优秀工会工作者（甲）", base=opened))
    with translation.override("zh-hans"):
        response = client.post(reverse("kinds:edit", args=[kind.pk]),
                               editor_post(title="优秀工会工作者（乙）", base=opened), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "其他人已保存" in response.content.decode()
    assert 'value="优秀工会工作者（乙）"' in response.content.decode()
    assert kind.versions.get().title == "优秀工会工作者（甲）"


@pytest.mark.django_db
def test_an_odd_version_asked_for_is_a_404(client, tree):
    client.force_login(tree.admin_d)
    client.post(reverse("kinds:create"), editor_post())
    kind = CampaignKind.objects.get()
    for asked in ("²", "9", "x"):
        assert client.get(reverse("kinds:detail", args=[kind.pk]), {"version": asked}).status_code == 404


@pytest.mark.django_db
def test_a_problem_names_the_row_as_the_page_numbers_it(client, tree):
    client.force_login(tree.admin_d)
    post = editor_post(**{"fields-0-DELETE": "on", "fields-2-type": "choice"})  # row 3: a choice with no answers
    with translation.override("zh-hans"):
        page = client.post(reverse("kinds:create"), post, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "第3个字段“主要事迹”" in page
