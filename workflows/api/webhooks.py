"""Webhooks: a district's receivers of what happens, delivered from the
outbox (retried with a growing delay, each attempt recorded on its
delivery row) and signed with HMAC-SHA256 under the webhook's secret.

Events are codes: the engine's own (a case decided, a notice opened, a
certificate issued) and those a process registers for its audit actions
(`register_webhook_event`, e.g. results published). An event is recorded
inside the transaction that makes it happen, so it is sent exactly when
that commits (the outbox's promise), and never for a rolled-back change.

The signature: header `X-UnionFlow-Signature: sha256=<hex>`, the HMAC-SHA256
of `<X-UnionFlow-Timestamp>.<body>` under the secret (docs/api.md shows
how to check it)."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action
from workflows.background.outbox import owe, register_outbox_handler
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import Certificate, DeliveryStatus, OutboxItem, OutboxState, Webhook, WebhookDelivery

KIND = "workflows.webhook.deliver"
SIGNATURE_HEADER = "X-UnionFlow-Signature"

# code → label; and audit action → the event codes it also raises.
_EVENTS = {
    "case.decided": gettext_lazy("A case is decided (any step's decision)"),
    "notice.opened": gettext_lazy("A public notice is opened"),
    "certificate.issued": gettext_lazy("A certificate is issued"),
}
_BY_ACTION = {}


def register_webhook_event(code, label, *, actions=()):
    """A process's event: raised when a decision records one of `actions`
    (audit codes), beside "case.decided"."""
    _EVENTS[code] = label
    for action in actions:
        _BY_ACTION.setdefault(action, []).append(code)


def event_choices():
    return [(code, label) for code, label in _EVENTS.items()]


def _district_of_org(organisation):
    from workflows.models import Organisation

    if organisation is None:
        return None
    return Organisation.objects.filter(pk=organisation.ancestor_ids[0]).first()


def emit(event, district, data):
    """Record `event` for each active webhook of `district` that asked for
    it; call inside the transaction of the change. Returns the deliveries."""
    if district is None:
        return []
    made = []
    for webhook in Webhook.objects.filter(district=district, active=True):
        if event not in webhook.events:
            continue
        delivery = WebhookDelivery.objects.create(webhook=webhook, event=event, body="")
        delivery.body = json.dumps({
            "event": event, "delivery": delivery.pk, "occurred_at": timezone.now(),
            "district": {"id": district.pk, "name": district.name}, "data": data,
        }, cls=DjangoJSONEncoder, ensure_ascii=False)
        delivery.save(update_fields=["body"])
        owe(KIND, delivery.pk)
        made.append(delivery)
    return made


def case_decided(case, process, entry):
    """A step's decision was recorded (`entry`, its audit entry): raise
    "case.decided" and the events the process tied to its action."""
    district = _district_of_org(entry.organisation)
    data = {
        "process": process.key, "case": case.pk, "action": entry.action, "decision": entry.decision,
        "from_state": entry.from_state, "to_state": entry.to_state, "version": getattr(case, "version", None),
        "api_url": settings.SITE_URL + reverse("api:case", kwargs={"key": process.key, "pk": case.pk}),
    }
    for event in ["case.decided", *_BY_ACTION.get(entry.action, [])]:
        emit(event, district, data)


def notice_opened(notice):
    emit("notice.opened", _district_of_org(notice.organisation), {
        "notice": notice.pk, "title": notice.title, "opened_on": notice.opened_on, "closes_on": notice.closes_on,
        "entries": notice.entries.count(),
        "public_url": settings.SITE_URL + reverse("notice_detail", args=[notice.pk]),
    })


def _certificate_saved(sender, instance, created, **kwargs):
    if not created:
        return
    ct = instance.content_type
    emit("certificate.issued", _district_of_org(instance.owner_organisation), {
        "number": instance.number, "issued_on": instance.issued_on, "case_model": f"{ct.app_label}.{ct.model}",
        "case": instance.object_id,
        "verify_url": settings.SITE_URL + reverse("api:certificate", kwargs={"token": instance.token}),
    })


post_save.connect(_certificate_saved, sender=Certificate, dispatch_uid="workflows.api.webhooks.certificate")


# Delivery --------------------------------------------------------------------------

def signature(secret, timestamp, body):
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body.encode(), hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A receiver that redirects has not received: the attempt fails (a
    POST turned into a GET elsewhere would lose the event)."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def deliver(delivery_id):
    """The outbox's handler: POST the delivery's body; a 2xx answer is
    delivered, anything else raises (the outbox retries until its
    attempts are used up)."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == DeliveryStatus.DELIVERED:
        return
    webhook = delivery.webhook
    if not webhook.active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error="The webhook was switched off.")
        return
    timestamp = str(int(time.time()))
    request = urllib.request.Request(webhook.url, data=delivery.body.encode(), method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "UnionFlow-Webhook/1",
        "X-UnionFlow-Event": delivery.event, "X-UnionFlow-Delivery": str(delivery.pk),
        "X-UnionFlow-Timestamp": timestamp, SIGNATURE_HEADER: signature(webhook.secret, timestamp, delivery.body),
    })
    code, error = None, ""
    try:
        with _opener.open(request, timeout=settings.UNIONFLOW_WEBHOOK_TIMEOUT) as response:
            code = response.status
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
    ok = code is not None and 200 <= code < 300
    item = OutboxItem.objects.filter(kind=KIND, object_id=delivery.pk).order_by("-pk").first()
    last = item is not None and item.attempts >= item.max_attempts
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=delivery.attempts + 1, response_code=code, last_error=error[:500],
        status=DeliveryStatus.DELIVERED if ok else (DeliveryStatus.FAILED if last else DeliveryStatus.RETRYING),
        delivered_at=timezone.now() if ok else None,
    )
    if not ok:
        raise RuntimeError(f"Webhook {webhook.pk} delivery {delivery.pk}: {error or code}")


register_outbox_handler(KIND, deliver)


def delivery_outbox_state(delivery):
    item = OutboxItem.objects.filter(kind=KIND, object_id=delivery.pk).order_by("-pk").first()
    return item.state if item is not None else OutboxState.DONE


# The district's services ---------------------------------------------------------

def webhooks_visible_to(user):
    from workflows.organisations.administration import administered_districts

    return Webhook.objects.filter(district__in=administered_districts(user)).select_related("district")


def do_create_webhook(*, district, url, events, acting_user, ip=None):
    """Register a receiver for `district` (one the acting user administers).
    Returns the webhook; its secret is shown once, by the caller."""
    from workflows.organisations.administration import administered_districts

    if district not in administered_districts(acting_user):
        raise NotAllowed(_("Only the district administrator registers webhooks."))
    unknown = [e for e in events if e not in _EVENTS]
    if not events or unknown:
        raise RuleViolation(_("Choose at least one of the listed events."))
    with transaction.atomic():
        webhook = Webhook.objects.create(district=district, url=url, events=list(events), created_by=acting_user)
        log_action(webhook, "workflows.webhook.created", actor=acting_user, organisation=district, ip=ip,
                   data={"url": url, "events": list(events)})
    return webhook


def do_disable_webhook(*, webhook, acting_user, ip=None):
    """Switch a webhook off: nothing more is sent to it (deliveries still
    waiting fail, visibly)."""
    with transaction.atomic():
        locked = webhooks_visible_to(acting_user).select_for_update(of=("self",)).filter(pk=webhook.pk).first()
        if locked is None:
            raise NotAllowed(_("Only the district administrator switches webhooks off."))
        if locked.active:
            locked.active = False
            locked.save(update_fields=["active"])
            log_action(locked, "workflows.webhook.disabled", actor=acting_user, organisation=locked.district,
                       ip=ip, data={"url": locked.url})
    webhook.active = False
    return webhook
