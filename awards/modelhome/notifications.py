"""What the unit hears about its title: a re-inspection (复查) is opened, the
title is revoked (摘牌), it has expired. Stored as codes and values, read in
the reader's language (workflows.notifications)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.roles import Role
from workflows.notifications.mail import users_holding
from workflows.notifications.services import notify, register_event

from .certificates import title_name

REINSPECTION_OPENED = "modelhome.event.reinspection_opened"
TITLE_REVOKED = "modelhome.event.title_revoked"
TITLE_EXPIRED = "modelhome.event.title_expired"

register_event(
    REINSPECTION_OPENED,
    lambda d: (_("A re-inspection (复查) of your title %(title)s is opened") % d,
               _("The district will send inspectors; keep your records ready.")),
    label=gettext_lazy("A re-inspection of the unit's title is opened"),
)
register_event(
    TITLE_REVOKED,
    lambda d: (_("Your title %(title)s is revoked (摘牌)") % d, d.get("reason", "")),
    label=gettext_lazy("The unit's title is revoked (摘牌)"),
)
register_event(
    TITLE_EXPIRED,
    lambda d: (_("Your title %(title)s has expired") % d, ""),
    label=gettext_lazy("The unit's title has expired"),
)


def tell_unit(title, event, *, url="", key="", **data):
    """Notify those who speak for the title's holder (its submitters);
    inside the deciding transaction (the e-mail leaves after commit)."""
    notify(users_holding(Role.SUBMITTER, title.holder_id), event=event, url=url or title.get_absolute_url(), key=key,
           data={"title": title_name(title.grade, title.level), **data})
