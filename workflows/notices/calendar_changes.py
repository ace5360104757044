"""Entering, correcting and removing a day of the district's working
calendar (CalendarDay; the admin's "Working calendar" calls these).

Each change is one transaction, with the day's row locked when it exists,
and one audit entry naming the acting user, the date and what it became.

An open public notice's last day was counted with the calendar as it was
when the notice opened, and the public page shows that day: a change to a
day inside the window of an open notice (from its first to its last day)
would make the published window disagree with the calendar, so it is
refused, naming the notice. Deadlines of steps already set keep their date
(they are reminders, counted when the step opened); new ones use the
calendar as it now is."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action, register_action_labels
from workflows.exceptions import AlreadyHandled, RuleViolation
from workflows.models import CalendarDay, NoticeStatus, PublicNotice

SET = "workflows.calendar.day_set"
REMOVED = "workflows.calendar.day_removed"

register_action_labels({
    SET: gettext_lazy("Working calendar day entered"),
    REMOVED: gettext_lazy("Working calendar day removed"),
})


def calendar_day_problem(*dates):
    """Why the calendar may not change on any of `dates`, or None."""
    for day in dates:
        if day is None:
            continue
        notice = (PublicNotice.objects.filter(status=NoticeStatus.OPEN, opened_on__lte=day, closes_on__gte=day)
                  .order_by("opened_on", "pk").first())
        if notice is not None:
            return _(
                "%(date)s lies in the window of the open public notice “%(notice)s” (%(start)s to %(end)s), "
                "whose last day was counted with the calendar as it is. Change it after the notice closes."
            ) % {"date": day.isoformat(), "notice": notice.title, "start": notice.opened_on.isoformat(),
                 "end": notice.closes_on.isoformat()}
    return None


def _check(*dates):
    problem = calendar_day_problem(*dates)
    if problem:
        raise RuleViolation(problem)


def _values(day):
    return {"date": day.date.isoformat(), "is_working_day": day.is_working_day, "name": day.name}


def do_set_calendar_day(*, date, is_working_day, name="", day=None, acting_user, ip=None):
    """Enter the day `date` (a new CalendarDay, or `day` corrected)."""
    with transaction.atomic():
        if day is None:
            _check(date)
            if CalendarDay.objects.filter(date=date).exists():
                raise RuleViolation(_("%(date)s is already in the working calendar.") % {"date": date.isoformat()})
            day = CalendarDay(date=date, is_working_day=is_working_day, name=name or "")
            before = None
        else:
            day = CalendarDay.objects.select_for_update().filter(pk=day.pk).first()
            if day is None:
                raise AlreadyHandled()
            _check(day.date, date)
            before = _values(day)
            day.date, day.is_working_day, day.name = date, is_working_day, name or ""
        day.save()
        log_action(day, SET, actor=acting_user, ip=ip, data={"before": before, "after": _values(day)})
    return day


def do_remove_calendar_day(*, day, acting_user, ip=None):
    with transaction.atomic():
        locked = CalendarDay.objects.select_for_update().filter(pk=day.pk).first()
        if locked is None:
            raise AlreadyHandled()
        _check(locked.date)
        pk, before = locked.pk, _values(locked)
        locked.delete()
        locked.pk = pk  # the entry names the row the deletion freed
        log_action(locked, REMOVED, actor=acting_user, ip=ip, data={"before": before})
