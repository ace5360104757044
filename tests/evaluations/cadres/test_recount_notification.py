"""A recount is told as a recount: the notification of the district
reopening the count names the act and its reason, never "结束投票"."""

import pytest
from django.urls import reverse
from django.utils import translation

from evaluations.cadres import services
from evaluations.cadres.models import EvaluationState as S
from workflows.models import Notification
from workflows.notifications.events import render_event

from .conftest import finish
from .test_sealed_count import cast

pytestmark = pytest.mark.django_db


def test_the_recount_notification_names_the_recount(tree, make_evaluation, client):
    evaluation = make_evaluation(codes=3, entitled=3)
    cast(evaluation, 2)
    finish(tree, evaluation, through=S.TALLIED)
    before = Notification.objects.count()
    services.do_reopen_count(evaluation=evaluation, actor=tree.reviewer_d, reason="计票单与选票不符")
    told = Notification.objects.filter(pk__gt=0).order_by("pk")[before:]
    assert told, "someone is told of the recount"
    for note in told:
        # What the reader sees: the newest row of their notifications page.
        client.force_login(note.user)
        page = client.get(reverse("notifications")).content.decode()
        newest = page[page.index("<tbody>"):page.index("</tr>", page.index("<tbody>"))]
        assert "区总工会重新开启计票" in newest
        assert "结束投票" not in newest and "投票已结束" not in newest
        with translation.override("zh-hans"):
            title, body = render_event(note.event, note.data)
        assert "区总工会重新开启计票" in title and "计票单与选票不符" in body and "投票已结束" not in body
