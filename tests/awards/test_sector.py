"""The nominating union's sector: a new nomination starts from it, and the
mix rules count a non-public union's nominee as non-public."""

from django.urls import reverse

from workflows.steps.decisions import decide
from awards.mayday.models import Nomination
from workflows.mixrules.services import rule_create
from workflows.mixrules.services import figures_of


def test_new_nomination_form_starts_from_the_unions_sector(client, tree, campaign):
    client.force_login(tree.submitter)  # of union_a1, a non-public enterprise's union
    response = client.get(reverse("awards:nomination_create"), {"campaign": campaign.code, "kind": "individual"})
    assert response.status_code == 200
    sector = response.context["form"]["sector"]
    assert sector.value() == "non_public"
    assert '<option value="non_public" selected>' in str(sector)


def test_blank_sector_is_saved_as_the_unions(client, tree, campaign, individual_form_data):
    client.force_login(tree.submitter)
    url = reverse("awards:nomination_create") + f"?campaign={campaign.code}&kind=individual"
    response = client.post(url, individual_form_data(sector="", nominee_name="赵六"))
    assert response.status_code == 302
    assert Nomination.objects.get(nominee_name="赵六").sector == "non_public"


def test_mix_rule_counts_a_non_public_unions_nominee(tree, campaign, make_nomination):
    rule_create(scope=campaign, field="sector", values=["non_public"], comparison="min", percent=35,
                    actor=tree.admin_d)
    nomination = make_nomination(sector="")
    decide(decision="approve", case=nomination, actor=tree.chair)
    decide(decision="approve", case=nomination, actor=tree.reviewer_a)
    figure = figures_of(campaign)[0]
    assert (figure.projected_matching, figure.projected_total, figure.projected_ok) == (1, 1, True)
