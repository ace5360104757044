"""grow_demo: the tree grows to the size asked (each intermediate union
with a reviewer of its own, each grassroots union with a submitter and a
chair), the campaign grows to the size asked through the services (each
nomination where its route ends, with the engine's audit entries and open
tasks), the grown cases spread over every reviewer's inbox, and a second
run adds nothing."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.management.commands.grow_demo import PREFIX
from awards.mayday.models import Nomination
from awards.mayday.models import NominationState as S
from workflows.audit import history_of
from workflows.models import Organisation
from workflows.steps.actors import inbox_tasks


def test_grow_demo_grows_the_tree_and_the_campaign_through_the_services(db, settings):
    settings.DEVELOPMENT = True  # grow_demo refuses a production configuration
    call_command("seed_demo", stdout=io.StringIO())
    orgs_before = Organisation.objects.count()
    out = io.StringIO()
    # 2 intermediate unions with 10 grassroots unions each, 3 with the rest.
    call_command("grow_demo", orgs=orgs_before + 25, cases=30, stdout=out)

    assert Organisation.objects.count() == orgs_before + 25
    intermediates = Organisation.objects.filter(code__startswith="grow-i").order_by("code")
    assert [o.children.count() for o in intermediates] == [10, 10, 2]
    User = get_user_model()
    for k, organisation in enumerate(intermediates, 1):
        reviewer = User.objects.get(username=f"grow_i{k:02d}_review")
        assert reviewer.memberships.get().organisation == organisation
        assert reviewer.check_password("demo-2024")

    grown = Nomination.objects.filter(nominee_name__startswith=PREFIX)
    assert grown.count() == 30
    # Each route's end (ROUTE: submitted, returned, 4 confirmed,
    # intermediate-approved, rejected, 2 awarded, in every ten).
    assert grown.filter(state=S.SUBMITTED).count() == 3
    assert grown.filter(state=S.RETURNED).count() == 3
    assert grown.filter(state=S.CONFIRMED).count() == 12
    assert grown.filter(state=S.REJECTED).count() == 3
    # On a notice and decided: awarded as far as the mix rules allow, the
    # rest awaiting the district's decision.
    assert grown.filter(state__in=[S.AWARDED, S.DISTRICT_APPROVED]).count() == 6
    assert grown.filter(state=S.AWARDED).count() >= 3
    confirmed = grown.filter(state=S.CONFIRMED).first()
    actions = [e.action for e in history_of(confirmed)]
    assert actions == ["awards.nomination.created", "awards.nomination.submitted", "awards.nomination.confirmed"]
    # The confirmed cases wait in the grown reviewers' inboxes, spread
    # over all three of them.
    waiting = {k: inbox_tasks(User.objects.get(username=f"grow_i{k:02d}_review")).count() for k in (1, 2, 3)}
    assert sum(waiting.values()) == 12 and all(waiting.values()), waiting

    call_command("grow_demo", orgs=orgs_before + 25, cases=30, stdout=out)
    assert Organisation.objects.count() == orgs_before + 25
    assert grown.count() == 30
    assert "nothing to do" in out.getvalue()
