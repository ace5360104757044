"""Webhooks: the district registers a receiver and the events it wants;
each event is recorded in the transaction of the change, delivered from the
outbox to a real HTTP server on 127.0.0.1 (started here), signed with
HMAC-SHA256, retried after a failure, each attempt visible on the
webhook's page. Someone else's webhook is a 404."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from workflows.api.webhooks import KIND, do_create_webhook
from workflows.background.outbox import run_item
from workflows.models import AuditEntry, DeliveryStatus, OutboxItem, OutboxState, WebhookDelivery


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST and answers
    with the next status of `statuses` (then 200)."""

    def __init__(self, statuses=()):
        self.received, self.statuses = [], list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.headers, body))  # names case-insensitive
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def start(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield start
    for r in made:
        r.close()


def _verify(secret, headers, body):
    expected = hmac.new(secret.encode(), f"{headers['X-UnionFlow-Timestamp']}.".encode() + body,
                        hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-UnionFlow-Signature"], f"sha256={expected}")


def _run_due(kind=KIND):
    """Run every waiting delivery now (the sweep's part, without waiting
    for the retry delay)."""
    later = timezone.now() + timezone.timedelta(hours=1)
    return [run_item(pk, pending_before=later)
            for pk in OutboxItem.objects.filter(kind=kind, state=OutboxState.PENDING).values_list("pk", flat=True)]


@pytest.mark.django_db
def test_a_decision_is_delivered_signed(tree, make_mayday_case, receiver, django_capture_on_commit_callbacks):
    server = receiver()
    webhook = do_create_webhook(district=tree.district, url=server.url, events=["case.decided"],
                                acting_user=tree.admin_d)
    assert AuditEntry.objects.filter(action="workflows.webhook.created", object_id=webhook.pk).exists()
    case = make_mayday_case()
    from workflows.steps.decisions import decide

    with django_capture_on_commit_callbacks(execute=True):
        decide(case=case, actor=tree.chair, decision="confirm")
    # The outbox handed it to the (immediate) queue after commit.
    assert len(server.received) == 1
    headers, body = server.received[0]
    assert _verify(webhook.secret, headers, body)
    assert not _verify("another secret", headers, body)
    payload = json.loads(body)
    assert payload["event"] == "case.decided" and headers["X-UnionFlow-Event"] == "case.decided"
    assert payload["data"] == {**payload["data"], "process": "kind_case", "case": case.pk, "decision": "confirm",
                               "action": "kinds.case.confirmed", "to_state": "intermediate"}
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.response_code == 200 and delivery.attempts == 1


@pytest.mark.django_db
def test_a_failed_delivery_is_retried_and_shown(tree, make_mayday_case, receiver):
    server = receiver(statuses=[500])
    webhook = do_create_webhook(district=tree.district, url=server.url, events=["case.decided"],
                                acting_user=tree.admin_d)
    from workflows.steps.decisions import decide

    decide(case=make_mayday_case(), actor=tree.chair, decision="confirm")
    assert _run_due() == [False]
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert delivery.status == DeliveryStatus.RETRYING and delivery.response_code == 500
    page = Client()
    page.force_login(tree.admin_d)
    shown = page.get(reverse("webhook_detail", args=[webhook.pk]))
    assert shown.status_code == 200 and "500" in shown.content.decode()
    # The retry sends the same body, and is delivered.
    assert _run_due() == [True]
    (h1, b1), (h2, b2) = server.received
    assert b1 == b2 and h1["X-UnionFlow-Delivery"] == h2["X-UnionFlow-Delivery"] == str(delivery.pk)
    assert _verify(webhook.secret, h2, b2)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert "已送达" in page.get(reverse("webhook_detail", args=[webhook.pk])).content.decode()


@pytest.mark.django_db
def test_events_are_the_districts_and_as_asked(tree, make_mayday_case, grant_case, receiver):
    """Only the district's webhooks that asked for an event get it: a
    certificate issued reaches the one asking for it, not the other."""
    server = receiver()
    wants_certificates = do_create_webhook(district=tree.district, url=server.url,
                                           events=["certificate.issued", "notice.opened"], acting_user=tree.admin_d)
    only_decisions = do_create_webhook(district=tree.district, url=server.url, events=["case.decided"],
                                       acting_user=tree.admin_d)
    certificate = grant_case(make_mayday_case())
    events = list(WebhookDelivery.objects.filter(webhook=wants_certificates).values_list("event", flat=True))
    assert sorted(events) == ["certificate.issued", "notice.opened"]
    body = json.loads(WebhookDelivery.objects.get(webhook=wants_certificates, event="certificate.issued").body)
    assert body["data"]["number"] == certificate.number
    assert set(WebhookDelivery.objects.filter(webhook=only_decisions).values_list("event", flat=True)) == {
        "case.decided"}


@pytest.mark.django_db
def test_webhook_pages_are_the_district_administrators(tree):
    admin = Client()
    admin.force_login(tree.admin_d)
    response = admin.post(reverse("webhooks"), {"url": "https://portal.example.org/hook",
                                                "events": ["case.decided"]})
    assert response.status_code == 200
    webhook = tree.district and __import__("workflows.models", fromlist=["Webhook"]).Webhook.objects.get()
    assert webhook.secret in response.content.decode()  # shown once
    assert webhook.secret not in admin.get(reverse("webhook_detail", args=[webhook.pk])).content.decode()
    # Bad input keeps what was typed and says why.
    response = admin.post(reverse("webhooks"), {"url": "not a url", "events": []})
    assert response.status_code == 200 and "not a url" in response.content.decode()
    for user in (tree.reviewer_d, tree.chair, tree.reviewer_a):
        other = Client()
        other.force_login(user)
        assert other.get(reverse("webhooks")).status_code == 404
        assert other.get(reverse("webhook_detail", args=[webhook.pk])).status_code == 404
        assert other.post(reverse("webhook_disable", args=[webhook.pk])).status_code == 404
    assert admin.post(reverse("webhook_disable", args=[webhook.pk])).status_code == 302
    webhook.refresh_from_db()
    assert not webhook.active
    assert AuditEntry.objects.filter(action="workflows.webhook.disabled", object_id=webhook.pk).exists()


@pytest.mark.django_db
def test_a_process_event_rides_on_its_audit_action(tree, make_mayday_case, receiver):
    """A process's own event (results published) is raised by the decision
    recording its action, beside case.decided; a webhook gets only what it
    asked for."""
    from workflows.api import webhooks
    from workflows.audit import log_action
    from workflows.steps.registry import process_named

    server = receiver()
    wants = do_create_webhook(district=tree.district, url=server.url, events=["evaluation.published"],
                              acting_user=tree.admin_d)
    case = make_mayday_case()
    entry = log_action(case, "cadres.evaluation.published", actor=tree.chair, organisation=tree.union_a1,
                       from_state="results_approved", to_state="published", decision="publish")
    webhooks.case_decided(case, process_named("kind_case"), entry)
    assert list(WebhookDelivery.objects.filter(webhook=wants).values_list("event", flat=True)) == [
        "evaluation.published"]
    entry = log_action(case, "kinds.case.confirmed", actor=tree.chair, organisation=tree.union_a1)
    webhooks.case_decided(case, process_named("kind_case"), entry)
    assert WebhookDelivery.objects.filter(webhook=wants).count() == 1
