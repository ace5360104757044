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
from workflows.notifications.channels.dispatch import chosen_channels, chosen_channels_of, plan_deliveries
from workflows.notifications.mail import mail_users

log = logging.getLogger(__name__)


def _absolute(url):
    if url.startswith("/"):
        return settings.SITE_URL + url
    return url


def _recipients(users):
    """{pk: user} of `users` (a user or an iterable), duplicates and
    inactive users dropped."""
    if users is None:
        return {}
    if isinstance(users, get_user_model()):
        users = [users]
    unique = {}
    for user in users:
        if user is not None and user.is_active:
            unique[user.pk] = user
    return unique


def _check_registered(event):
    if not is_registered(event):
        raise ValueError(f"Unregistered notification event: {event!r}")


def notify(users, *, event, data=None, url="", key="", email=True):
    """Tell each of `users` (a user or an iterable; duplicates and inactive
    users dropped) that `event` happened, with its `data` (codes and values,
    never sentences). With a `key`, a user already told under that key is not
    told again. The e-mail, in the district's language, goes after commit.
    Returns the users newly told."""
    _check_registered(event)
    if not key:
        return notify_all([(users, event, data, url)], email=email)[0]
    unique = _recipients(users)
    # Each user's channels for this event, read once for all of them.
    chosen = chosen_channels(list(unique), event) if unique else {}
    switchable = in_app_switchable(event)
    told = []
    for user in unique.values():
        if Notification.objects.filter(user=user, key=key).exists():
            continue
        if switchable and Channel.IN_APP not in chosen[user.pk]:
            told.append(user)  # by their other channels only
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, event=event, data=data or {}, url=url, key=key)
        except IntegrityError:  # a concurrent run told them first
            continue
        told.append(user)
    _deliver(told, event=event, data=data, url=url, chosen=chosen, email=email)
    return told


def notify_all(notices, *, email=True):
    """Several notices of one change, each (users, event, data, url), told
    as `notify` tells one (no key): the channels the recipients chose for
    every event read in one query, the in-app rows written in one insert.
    Returns the users told, per notice."""
    prepared = []
    for users, event, data, url in notices:
        _check_registered(event)
        prepared.append((_recipients(users), event, data, url))
    wanted = {}
    for unique, event, _data, _url in prepared:
        wanted.setdefault(event, set()).update(unique)
    wanted = {event: ids for event, ids in wanted.items() if ids}
    chosen_by_event = chosen_channels_of(wanted) if wanted else {}
    rows, told_per_notice = [], []
    for unique, event, data, url in prepared:
        switchable = in_app_switchable(event)
        told = []
        for user in unique.values():
            told.append(user)
            if switchable and Channel.IN_APP not in chosen_by_event[event][user.pk]:
                continue  # by their other channels only
            rows.append(Notification(user=user, event=event, data=data or {}, url=url, key=""))
        told_per_notice.append(told)
    if rows:
        Notification.objects.bulk_create(rows)
    for (unique, event, data, url), told in zip(prepared, told_per_notice):
        _deliver(told, event=event, data=data, url=url, chosen=chosen_by_event.get(event, {}), email=email)
    return told_per_notice


def _deliver(told, *, event, data, url, chosen, email):
    """The other channels each user chose for this event (企业微信, 钉钉,
    SMS): recorded here, sent by the outbox after commit; the e-mail after
    commit."""
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
