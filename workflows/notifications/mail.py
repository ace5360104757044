"""Messages to people about their cases. Called after commit only."""

import logging

from django.conf import settings
from django.core.mail import send_mail

log = logging.getLogger(__name__)


def mail_users(users, subject, body):
    recipients = sorted({u.email for u in users if getattr(u, "email", "")})
    if not recipients:
        return 0
    try:
        return send_mail(str(subject), str(body), settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # a mail server outage must not undo a committed decision
        log.exception("sending mail failed: %s", subject)
        return 0


def users_holding(role, organisation_id):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        memberships__role=role, memberships__organisation_id=organisation_id, is_active=True
    ).distinct()
