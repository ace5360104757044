"""Forms as data: the palette, the checks of a description (every problem
named by its place) and the form built from it."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import valid_id_number
from workflows.dataforms.definition import build_form_class, problems_of_fields, shown_answers, stored_answers
from workflows.dataforms.identity import masked_id_number

FIELDS = [
    {"key": "name", "type": "text", "label": "姓名", "required": True, "public": True},
    {"key": "deeds", "type": "long_text", "label": "主要事迹", "required": True},
    {"key": "years", "type": "number", "label": "工龄", "min": 0, "max": 60},
    {"key": "amount", "type": "money", "label": "申请金额", "max": "5000"},
    {"key": "born", "type": "date", "label": "出生日期"},
    {"key": "sector", "type": "choice", "label": "单位性质", "public": True,
     "choices": [{"value": "state", "label": "国有"}, {"value": "private", "label": "非公"}]},
    {"key": "needs", "type": "multiple_choice", "label": "困难类型",
     "choices": [{"value": "ill", "label": "疾病"}, {"value": "study", "label": "子女就学"}]},
    {"key": "member", "type": "yes_no", "label": "是否会员", "required": True},
    {"key": "union", "type": "organisation", "label": "所在工会", "required": True},
    {"key": "id_number", "type": "id_number", "label": "身份证号", "required": True},
    {"key": "mobile", "type": "mobile", "label": "手机号码"},
    {"key": "proof", "type": "file", "label": "证明材料", "types": ["pdf"], "max_mb": 1},
]


def test_a_whole_palette_description_has_no_problems():
    assert problems_of_fields(FIELDS) == []


@pytest.mark.parametrize("change, place", [
    ({"key": "Name"}, "fields[0].key"),
    ({"type": "colour"}, "fields[0].type"),
    ({"label": ""}, "fields[0].label"),
    ({"required": "yes"}, "fields[0].required"),
    ({"max_length": 0}, "fields[0].max_length"),
    ({"choices": []}, "fields[0]"),  # an option the kind does not take
])
def test_each_problem_is_named_by_its_place(change, place):
    problems = problems_of_fields([{**FIELDS[0], **change}])
    assert place in [p for p, _ in problems]


def test_duplicate_keys_and_bad_choices_are_named():
    problems = dict(problems_of_fields([FIELDS[0], {**FIELDS[0]}, {**FIELDS[5], "choices": [{"value": "a", "label": "A"}]}]))
    assert "fields[1].key" in problems and "fields[2].choices" in problems


@pytest.mark.parametrize("key", ["id_number", "mobile", "proof"])
def test_identity_numbers_phones_and_files_are_never_published(key):
    spec = next(s for s in FIELDS if s["key"] == key)
    assert "fields[0].public" in dict(problems_of_fields([{**spec, "public": True}]))


def test_file_options_are_checked():
    problems = dict(problems_of_fields([{**FIELDS[-1], "types": ["exe"], "max_mb": 500}]))
    assert {"fields[0].types", "fields[0].max_mb"} <= set(problems)


@pytest.mark.django_db
def test_the_built_form_checks_answers_and_stores_them_as_json(tree):
    from workflows.models import Organisation

    form_class = build_form_class(FIELDS, organisations=Organisation.objects.filter(pk=tree.union_a1.pk))
    id_number = valid_id_number()
    data = {"name": "张三", "deeds": "二十年扎根一线", "years": "12", "amount": "1234.5", "born": "1985-03-01",
            "sector": "private", "needs": ["ill", "study"], "member": "yes", "union": tree.union_a1.pk,
            "id_number": id_number, "mobile": "13912345678"}
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    form = form_class(data, {"proof": pdf})
    assert form.is_valid(), form.errors
    answers = stored_answers(FIELDS, form.cleaned_data)
    assert answers["amount"] == "1234.50" and answers["born"] == "1985-03-01"
    assert answers["union"] == {"id": tree.union_a1.pk, "name": tree.union_a1.name}
    assert answers["member"] is True and answers["needs"] == ["ill", "study"]
    assert "proof" not in answers

    shown = dict(shown_answers(FIELDS, answers))
    assert shown["身份证号"] == masked_id_number(id_number) and id_number not in shown.values()
    assert shown["手机号码"] == "139****5678" and shown["单位性质"] == "非公" and shown["申请金额"] == "¥1,234.50"
    assert dict(shown_answers(FIELDS, answers, full_identity=True))["身份证号"] == id_number
    assert [label for label, _ in shown_answers(FIELDS, answers, public_only=True)] == ["姓名", "单位性质"]


@pytest.mark.django_db
def test_bad_answers_are_refused_in_chinese(tree):
    from django.utils import translation

    from workflows.models import Organisation

    form_class = build_form_class(FIELDS, organisations=Organisation.objects.filter(pk=tree.union_a1.pk))
    bad = {"name": "张三", "deeds": "x", "years": "99", "amount": "9000", "member": "", "union": tree.union_b1.pk,
           "id_number": "110101198503011230", "mobile": "12345"}
    exe = SimpleUploadedFile("证明.pdf", b"MZ not a pdf", content_type="application/pdf")
    with translation.override("zh-hans"):
        form = form_class(bad, {"proof": exe})
        assert not form.is_valid()
        errors = {key: " ".join(messages) for key, messages in form.errors.items()}
    assert set(errors) >= {"years", "amount", "member", "union", "id_number", "mobile", "proof"}
    assert "身份证" in errors["id_number"] and "手机号码" in errors["mobile"] and "证明.pdf" in errors["proof"]


SECTOR = {"key": "unit_sector", "type": "sector", "label": "所属经济类型", "public": True}


def test_a_sector_field_takes_no_options_and_may_be_published():
    assert problems_of_fields([SECTOR]) == []
    assert "fields[0]" in dict(problems_of_fields([{**SECTOR, "choices": []}]))


def test_a_sector_field_offers_the_engines_sectors_and_refuses_others():
    from django.utils import translation

    from workflows.models import Sector

    form_class = build_form_class([SECTOR])
    values = [value for value, _label in form_class.base_fields["unit_sector"].choices]
    assert values == ["", *[value for value, _label in Sector.choices if value]]
    with translation.override("zh-hans"):
        form = form_class({"unit_sector": "private"})
        assert not form.is_valid() and "private" in " ".join(form.errors["unit_sector"])
    form = form_class({"unit_sector": "non_public"})
    assert form.is_valid(), form.errors
    answers = stored_answers([SECTOR], form.cleaned_data)
    assert answers == {"unit_sector": "non_public"}
    with translation.override("zh-hans"):
        assert shown_answers([SECTOR], answers, public_only=True) == [("所属经济类型", str(Sector.NON_PUBLIC.label))]
    # Required, the blank answer is refused.
    assert not build_form_class([{**SECTOR, "required": True}])({"unit_sector": ""}).is_valid()


def test_a_blank_sector_means_the_unions_own():
    from workflows.dataforms.palette import answered_sector

    form = build_form_class([SECTOR])({"unit_sector": ""})
    assert form.is_valid(), form.errors
    answers = stored_answers([SECTOR], form.cleaned_data)
    assert answers == {"unit_sector": ""} and shown_answers([SECTOR], answers) == [("所属经济类型", "")]
    assert answered_sector([SECTOR], answers, "state_owned") == "state_owned"
    assert answered_sector([SECTOR], {"unit_sector": "collective"}, "state_owned") == "collective"
    # A form with no sector field: the union's sector.
    assert answered_sector(FIELDS, {"sector": "private"}, "organ") == "organ"
