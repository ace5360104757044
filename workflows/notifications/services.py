"""In-app notifications (the list behind the header's bell), their
e-mail copy through Django's mail backend (console in development), and
the copies on the channels each user chose per event (企业微信, 钉钉, SMS:
workflows.notifications.channels).

`notify` is safe inside a service's transaction: the rows commit with the
decision, the e-mail goes out only after commit."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from workflows.models import Channel, Notification
from workflows.notifications.events import (  # noqa: F401 (register_event re-exported)
    in_app_switchable, is_registered, register_event, render_event,
)
from workflows.notifications.channels.dispatch import chosen_channels, plan_deliveries
from workflows.notifications.mail import mail_users

log = logging.getLogger(__name__)


def _absolute(url):
    if url.startswith("/"):
        return settings.SITE_URL + url
    return url


def notify(users, *, event, data=None, url="", key="", email=True):
    """Tell each of `users` (a user or an iterable; duplicates and inactive
    users dropped) that `event` happened, with its `data` (codes and values,
    never sentences). With a `key`, a user already told under that key is not
    told again. The e-mail, in the district's language, goes after commit.
    Returns the users newly told."""
    if not is_registered(event):
        raise ValueError(f"Unregistered notification event: {event!r}")
    if users is None:
        return []
    if isinstance(users, get_user_model()):
        users = [users]
    unique = {}
    for user in users:
        if user is not None and user.is_active:
            unique[user.pk] = user
    # Each user's channels for this event, read once for all of them.
    chosen = chosen_channels(list(unique), event) if unique else {}
    switchable = in_app_switchable(event)
    told = []
    for user in unique.values():
        if key and Notification.objects.filter(user=user, key=key).exists():
            continue
        if switchable and Channel.IN_APP not in chosen[user.pk]:
            told.append(user)  # by their other channels only
            continue
        if not key:
            # Nothing unique to collide on: a plain insert, no savepoint.
            Notification.objects.create(user=user, event=event, data=data or {}, url=url, key=key)
            told.append(user)
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, event=event, data=data or {}, url=url, key=key)
        except IntegrityError:  # a concurrent run told them first
            continue
        told.append(user)
    # The other channels each user chose for this event (企业微信, 钉钉,
    # SMS): recorded here, sent by the outbox after commit.
    no_mail = plan_deliveries(told, event=event, data=data, url=url, chosen=chosen)
    mailed = [user for user in told if user.pk not in no_mail]
    if email and mailed:
        def send():
            with translation.override(settings.LANGUAGE_CODE):
                subject, text = render_event(event, data)
            if url:
                text = f"{text}\n\n{_absolute(url)}".strip()
            mail_users(mailed, subject, text)

        transaction.on_commit(send)
    return told


def unread_count(user):
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user):
    return Notification.objects.filter(user=user).order_by("-created", "-pk")


def mark_read(user, ids=None):
    """Mark the user's notifications (all, or those with `ids`) read."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
