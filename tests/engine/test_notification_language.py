"""A notification is stored as its event and data, and reads in the
reader's language when shown, whatever language the actor used.

Ported from tests/awards/test_decision_pages.py
(test_a_notification_written_for_an_english_actor_reads_in_chinese, on a
May Day nomination), which goes with May Day; docs/mayday-as-kinds.md §4.3
item 5 maps each test."""

from django.utils import translation

from workflows.models import Notification
from workflows.steps.decisions import decide


def test_a_notification_written_for_an_english_actor_reads_in_the_readers_language(people, journey):
    case = journey.submitted(title="甲一厂申请")
    with translation.override("en"):
        decide(case=case, actor=people.reviewer, decision="return", comment="Please add the minutes")
    note = Notification.objects.filter(user=people.submitter).latest("pk")
    # Stored as codes and values, not as text rendered in the actor's language.
    assert note.data["comment"] == "Please add the minutes" and note.data["subject"] == "甲一厂申请"
    with translation.override("zh-hans"):
        title, body = note.text
    assert "甲一厂申请" in title and "#" not in title
    assert "当前状态" in body and "is now" not in body and "Please add the minutes" in body
    with translation.override("en"):
        title, body = note.text
    assert "is now" in body and "当前状态" not in body
