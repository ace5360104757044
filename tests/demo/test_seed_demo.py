"""The demo reads true: the 2024 campaign's cases took the route they show
(enterprise candidates through the departments' sign-offs before the
notice), unit and team nominations carry deeds of a unit or a team, and
the 2024 history is dated in 2024; what is under way now is in this
year's campaign. Seeding twice changes nothing."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from awards.mayday.models import AwardKind, Nomination
from awards.mayday.models import NominationState as S
from workflows.audit import history_of
from workflows.models import Certificate, PublicNotice

ENTERPRISE = {"state_owned", "collective", "non_public"}


def test_seeded_demo_reads_true(db, settings):
    settings.DEVELOPMENT = True  # seed_demo refuses a production configuration
    call_command("seed_demo", stdout=io.StringIO())
    old = Nomination.objects.filter(campaign__code="mayday-2024")
    assert old.filter(state=S.AWARDED).count() == 13

    routed = 0
    for nomination in old.filter(state=S.AWARDED):
        actions = [e.action for e in history_of(nomination)]
        if nomination.sector in ENTERPRISE and nomination.kind in (AwardKind.UNIT, AwardKind.INDIVIDUAL):
            assert "awards.nomination.signoff_agreed" in actions, actions
            last_signoff = max(i for i, a in enumerate(actions) if a == "awards.nomination.signoff_agreed")
            assert last_signoff < actions.index("awards.nomination.published")
            routed += 1
    assert routed >= 5

    for nomination in old.exclude(kind=AwardKind.INDIVIDUAL):
        assert "该同志" not in nomination.deeds and "该同志" not in nomination.summary
    assert all(n.deeds.startswith("该同志") for n in old.filter(kind=AwardKind.INDIVIDUAL))

    start, end = datetime.date(2024, 3, 1), datetime.date(2024, 4, 30)
    for nomination in old:
        for entry in history_of(nomination):
            assert start <= timezone.localtime(entry.created).date() <= end, (entry.action, entry.created)
    notice = PublicNotice.objects.filter(title__contains="2024").order_by("pk").first()
    assert notice.opened_on == datetime.date(2024, 4, 8)
    assert {c.issued_on.year for c in Certificate.objects.filter(series="mayday-2024")} == {2024}

    # What is under way now: this year's campaign, with its live notice.
    current = Nomination.objects.filter(campaign__code=f"mayday-{timezone.localdate().year}")
    assert current.count() == 3 and current.filter(state=S.IN_NOTICE).count() == 2

    # The demo shows a closed year of coverage: 2024, frozen as seeded.
    from evaluations.congress.models import CoverageYear

    closed = CoverageYear.objects.get(year=2024)
    assert {t["code"] for t in closed.snapshot["targets"]} >= {"congress_non_public", "reports_on_time"}

    counts = (Nomination.objects.count(), Certificate.objects.count(), PublicNotice.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert CoverageYear.objects.count() == 1
    assert (Nomination.objects.count(), Certificate.objects.count(), PublicNotice.objects.count()) == counts
