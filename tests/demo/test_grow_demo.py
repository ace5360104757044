"""grow_demo: the tree grows to the size asked (each intermediate union
with a reviewer of its own, each grassroots union with a submitter and a
chair), the May Day campaign of kinds (mayday-2024) grows to the size asked
through the kinds' services (each medal's case where its route ends, with
the engine's audit entries and open tasks, the granted ones through the
departments' sign-offs, a notice and a certificate), the grown cases
spread over every reviewer's inbox, and a second run adds nothing."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.management.commands.grow_demo import PREFIX
from awards.kinds.models import KindCase
from awards.kinds.models import KindCaseState as S
from workflows.documents.case_certificates import certificate_of
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

    grown = KindCase.objects.filter(campaign__code="mayday-2024", name__startswith=PREFIX)
    assert grown.count() == 30
    assert set(grown.values_list("kind_version__kind__code", flat=True)) == {"mayday-individual"}
    # Each route's end (ROUTE: confirming, returned, 4 at the intermediate
    # union, 1 at the district, rejected, 2 granted, in every ten).
    assert grown.filter(state=S.CONFIRMING).count() == 3
    assert grown.filter(state=S.RETURNED).count() == 3
    assert grown.filter(state=S.INTERMEDIATE).count() == 12
    assert grown.filter(state=S.DISTRICT).count() == 3
    assert grown.filter(state=S.REJECTED).count() == 3
    # On a notice and decided: granted as far as the mix rules allow, the
    # rest awaiting the district's decision.
    assert grown.filter(state__in=[S.GRANTED, S.DECIDING]).count() == 6
    assert grown.filter(state=S.GRANTED).count() >= 3
    for case in grown.filter(state=S.GRANTED):
        assert certificate_of(case).series == "mayday-2024"
    # The non-public enterprise's candidates passed the departments first.
    signed = grown.filter(state__in=[S.GRANTED, S.DECIDING], organisation__code="jixie").first()
    assert "kinds.case.signoff_agreed" in [e.action for e in history_of(signed)]
    waiting_at_town = grown.filter(state=S.INTERMEDIATE).first()
    actions = [e.action for e in history_of(waiting_at_town)]
    assert actions == ["kinds.case.saved", "kinds.case.submitted", "kinds.case.confirmed"]
    # The cases waiting at the intermediate unions are in the grown
    # reviewers' inboxes, spread over all three of them.
    waiting = {k: inbox_tasks(User.objects.get(username=f"grow_i{k:02d}_review")).count() for k in (1, 2, 3)}
    assert sum(waiting.values()) == 12 and all(waiting.values()), waiting

    call_command("grow_demo", orgs=orgs_before + 25, cases=30, stdout=out)
    assert Organisation.objects.count() == orgs_before + 25
    assert grown.count() == 30
    assert "nothing to do" in out.getvalue()
