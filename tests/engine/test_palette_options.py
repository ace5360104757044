"""Options of the palette a form described as data may set on a field: a
date not later than today (a date of birth, the day a meeting was held)
and a telephone that may be a fixed line; each checked when the form is
described and when it is filled."""

import datetime

from django.utils import timezone, translation

from workflows.dataforms.definition import build_form_class, problems_of_fields, shown_answers, stored_answers

FIELDS = [
    {"key": "met_on", "type": "date", "label": "Met on", "required": True, "not_future": True},
    {"key": "any_day", "type": "date", "label": "Any day", "required": False},
    {"key": "phone", "type": "mobile", "label": "Phone", "required": True, "landline": True},
    {"key": "mobile", "type": "mobile", "label": "Mobile", "required": False},
]


def _form(**data):
    return build_form_class(FIELDS)(data)


def test_the_options_are_true_or_false():
    assert problems_of_fields(FIELDS) == []
    wrong = [{**FIELDS[0], "not_future": "yes"}, {**FIELDS[2], "landline": 1}]
    assert [place for place, _message in problems_of_fields(wrong)] == ["fields[0].not_future", "fields[1].landline"]
    # An option of another kind of field is refused, as every unknown option is.
    assert problems_of_fields([{"key": "t", "type": "text", "label": "T", "not_future": True}])


def test_a_date_not_in_the_future_refuses_tomorrow_in_chinese_and_takes_today():
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    with translation.override("zh-hans"):
        form = _form(met_on=tomorrow.isoformat(), any_day=tomorrow.isoformat(), phone="13800138000")
        assert not form.is_valid()
        assert form.errors["met_on"] == ["该日期不能晚于今天。"]
        assert "any_day" not in form.errors  # without the option, any date
    form = _form(met_on=today.isoformat(), phone="13800138000")
    assert form.is_valid(), form.errors
    assert stored_answers(FIELDS, form.cleaned_data)["met_on"] == today.isoformat()


def test_a_telephone_with_landline_takes_a_fixed_line_and_a_mobile_does_not():
    day = "2024-05-01"
    assert _form(met_on=day, phone="023-6123 4567").is_valid()
    assert _form(met_on=day, phone="+86 23 6123-4567").is_valid()
    assert _form(met_on=day, phone="13800138000").is_valid()
    with translation.override("zh-hans"):
        refused = _form(met_on=day, phone="电话号码")
        assert not refused.is_valid()
        assert refused.errors["phone"] == ["请输入电话号码：只能包含数字、空格、短横线和括号。"]
        assert not _form(met_on=day, phone="13800138000", mobile="023-6123 4567").is_valid()
    # Never published, shown masked unless the reader's job needs it whole.
    answers = {"phone": "023-6123 4567"}
    assert dict(shown_answers(FIELDS[2:3], answers)) == {"Phone": "023****4567"}
    assert dict(shown_answers(FIELDS[2:3], answers, full_identity=True)) == {"Phone": "023-6123 4567"}
    assert problems_of_fields([{**FIELDS[2], "public": True}])
