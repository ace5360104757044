"""The May Day nomination's page shows its process map: the path it took
(a return and a second round included), where it stands, who holds the
open step and until when."""

from django.urls import reverse

from awards.mayday.declaration import MAYDAY
from awards.mayday.models import NominationState as S
from tests.process_map_checks import assert_holders_shown, assert_map, taken_moves
from workflows.steps.decisions import decide


def test_the_nomination_page_shows_its_map(tree, make_nomination, client):
    nomination = make_nomination()
    decide(case=nomination, actor=tree.chair, decision="return", comment="补充事迹")
    decide(case=nomination, actor=tree.submitter, decision="resubmit")
    decide(case=nomination, actor=tree.chair, decision="approve")

    client.force_login(tree.reviewer_a)
    page = client.get(reverse("awards:nomination_detail", args=[nomination.pk]))
    html = page.content.decode()
    assert page.status_code == 200

    svg = assert_map(html, MAYDAY, current=S.CONFIRMED, visited={S.DRAFT, S.SUBMITTED, S.RETURNED, S.CONFIRMED},
                     rounds={S.SUBMITTED: 2, S.CONFIRMED: 1})
    assert taken_moves(svg) == {(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.RETURNED), (S.RETURNED, S.SUBMITTED),
                                (S.SUBMITTED, S.CONFIRMED)}
    side = assert_holders_shown(html, nomination)
    assert tree.town_a.name in side  # the town's reviewers hold the open step
