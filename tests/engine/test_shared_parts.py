"""Engine parts a process's services call (model home and the campaign
kinds use them): opening a round, a step's own page, the grade guard, the
term of a held title."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.engine.toy.models import ToyCampaign
from workflows.audit import history_of
from workflows.cases.round_opening import open_round
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import Grade, Organisation
from workflows.scoring.grades import earned_grade, refuse_above
from workflows.steps.own_pages import own_page
from workflows.titles import add_years


def test_a_round_is_opened_by_the_district_administrator_only_with_a_code_not_taken(people):
    units = Organisation.objects.filter(path__startswith=people.district.path, kind="grassroots")
    with pytest.raises(NotAllowed):
        open_round(ToyCampaign(code="r1"), district=people.district, actor=people.reviewer_d, action="toy.round.opened",
                   units=units)
    checked = []
    campaign = open_round(ToyCampaign(code="r1"), district=people.district, actor=people.admin,
                          action="toy.round.opened", units=units, data={"kind": "toy"}, check=checked.append)
    assert checked == [campaign] and campaign.pk and campaign.district == people.district
    entry = history_of(campaign).get()
    assert entry.action == "toy.round.opened" and entry.data == {"kind": "toy", "units": 1}
    with pytest.raises(RuleViolation):
        open_round(ToyCampaign(code="r1"), district=people.district, actor=people.admin, action="toy.round.opened",
                   units=units)
    # A town is no district: nobody opens a round there.
    with pytest.raises(NotAllowed):
        open_round(ToyCampaign(code="r2"), district=people.town, actor=people.admin, action="toy.round.opened",
                   units=units)


def test_own_page_reverses_the_named_page_with_the_case():
    assert own_page("certificate_detail")(SimpleNamespace(pk=7)) == reverse("certificate_detail", args=[7])


def test_the_grade_guard_refuses_a_decision_above_the_mean():
    version = SimpleNamespace(model_threshold=90, qualified_threshold=75)
    clean, vetoed = [SimpleNamespace(veto_found=False)], [SimpleNamespace(veto_found=True)]
    assert earned_grade(version, 85, clean) == Grade.QUALIFIED
    assert earned_grade(version, 95, vetoed) == ""
    refuse_above(Grade.QUALIFIED, Grade.QUALIFIED)
    with pytest.raises(RuleViolation):
        refuse_above(Grade.QUALIFIED, Grade.MODEL)  # a mean of 85 refuses 模范
    with pytest.raises(RuleViolation):
        refuse_above("", Grade.QUALIFIED)


def test_a_term_ends_on_the_same_day_years_later_and_29_february_on_the_28th():
    assert add_years(datetime.date(2024, 3, 1), 2) == datetime.date(2026, 3, 1)
    assert add_years(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)


def test_the_set_up_confirmation_says_the_process_own_words_over_the_units(people):
    from django import forms as django_forms
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    from workflows.cases.setup import round_setup_page

    class RoundForm(django_forms.Form):
        code = django_forms.SlugField()

    def page(reach=None):
        request = RequestFactory().post("/open/", {"code": "r9"})
        request.user, request.session = people.admin, {}
        request._messages = FallbackStorage(request)
        return round_setup_page(
            request, RoundForm(request.POST), title="Open", cancel_url="/", facts=lambda form: [],
            units=lambda form: Organisation.objects.filter(pk=people.unit.pk), save=lambda form: None,
            done=lambda saved: "", reach=reach).content.decode()

    assert "以下 1 个单位可以申报：" in page() and people.unit.name in page()
    words = page(reach=lambda count: f"{count} union will get a report due.")
    assert "1 union will get a report due." in words and "may apply" not in words and people.unit.name in words

