"""workflows.models.open_rounds.OpenRound made concrete by the toy
(ToyRound): its deadline read as a minute, its issuing body, its places
found through the engine's quotas; and a second concrete subclass beside
it passes Django's system checks (each one's reverse query name on the
quotas is its own)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.engine.toy.models import ToyRound
from workflows.models import Quota
from workflows.models.open_rounds import OpenRound


def _round(people, code="r2026", **kwargs):
    kwargs.setdefault("submission_deadline", timezone.now() + datetime.timedelta(days=3))
    return ToyRound.objects.create(code=code, year=2026, title=code, district=people.district, **kwargs)


def test_the_deadline_includes_its_whole_minute(people):
    deadline = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=5)
    toy_round = _round(people, submission_deadline=deadline)
    assert toy_round.submissions_close_at == deadline + datetime.timedelta(minutes=1)
    assert toy_round.is_open
    toy_round.submission_deadline = timezone.now() - datetime.timedelta(minutes=2)
    assert not toy_round.is_open


def test_the_issuing_body_is_the_district_unless_named(people):
    toy_round = _round(people)
    assert toy_round.issuing_body == people.district.name
    toy_round.issuer = "示范区总工会办公室"
    assert toy_round.issuing_body == "示范区总工会办公室"


def test_its_places_are_the_engines_quotas_of_that_round_only(people):
    mine, other = _round(people, "mine"), _round(people, "other")
    scope_type = ContentType.objects.get_for_model(ToyRound)
    Quota.objects.create(scope_type=scope_type, scope_id=mine.pk, category="small", organisation=people.town,
                         count=3)
    Quota.objects.create(scope_type=scope_type, scope_id=other.pk, category="small", organisation=people.town,
                         count=9)
    assert [q.count for q in mine.quotas.all()] == [3]
    # The lookup from the quotas' side, by the round model's own name.
    assert [q.count for q in Quota.objects.filter(toy_toyround=mine)] == [3]


@pytest.fixture
def second_round_model():
    """A second concrete OpenRound in the same app registry (as two
    processes each with their campaign), taken out again afterwards."""
    from django.apps import apps

    class OtherRound(OpenRound):
        class Meta:
            app_label = "toy"

    yield OtherRound
    del apps.all_models["toy"]["otherround"]
    apps.clear_cache()


def test_a_second_concrete_open_round_passes_the_system_checks(second_round_model):
    """Django's model checks skip private fields (a GenericRelation is
    one), so the checks of each round's `quotas` field are asked here too:
    two reverse names "campaign" on Quota clash (fields.E304/E305), and a
    lookup by that name would read only one of the two models."""
    errors = [e for model in (ToyRound, second_round_model)
              for e in [*model.check(), *model._meta.get_field("quotas").check()]]
    assert [e.id for e in errors] == [], [str(e) for e in errors]


def test_with_two_round_models_each_finds_its_own_places(people, second_round_model):
    toy_round = _round(people)
    Quota.objects.create(scope_type=ContentType.objects.get_for_model(ToyRound), scope_id=toy_round.pk,
                         category="small", organisation=people.town, count=4)
    assert [q.count for q in Quota.objects.filter(toy_toyround=toy_round)] == [4]
    assert [q.count for q in toy_round.quotas.all()] == [4]
