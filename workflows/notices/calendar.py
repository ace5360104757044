"""Working days as China's calendar counts them: statutory holidays are off,
make-up working days (调休) on weekends are on.

Sources, in order: the district's own entries (`CalendarDay`, kept in the
admin: how a year the installed chinese-calendar does not know yet — the State
Council publishes each year's holidays late in the year before — or a local
exception is entered); then chinese-calendar. A year neither knows is refused
where the law counts days (a public notice's window: `strict=True`), and
counted Monday–Friday where a day more or less does no harm (reminder
deadlines: `strict=False`)."""

import datetime

import chinese_calendar
from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation

# How far ahead one query preloads the district's entries.
_LOOKAHEAD = datetime.timedelta(days=120)


class UnknownHolidayCalendar(RuleViolation):
    def __init__(self, year):
        super().__init__(
            _(
                "China's holiday calendar for %(year)s is not known yet, so working days cannot be "
                "counted. Enter that year's holidays and make-up working days under “Working calendar” "
                "in the administration, then try again."
            )
            % {"year": year}
        )
        self.year = year


class WorkingCalendar:
    """Answers is-this-a-working-day for a run of dates with one query."""

    def __init__(self, start, *, strict=True):
        from workflows.models import CalendarDay

        self.strict = strict
        self.start = start
        self.end = start + _LOOKAHEAD
        # One query: every entry of the years the run touches (a few dozen
        # rows a year), which says both what each day is and which years
        # the district has entered.
        rows = CalendarDay.objects.filter(
            date__gte=datetime.date(start.year, 1, 1), date__lte=datetime.date(self.end.year, 12, 31)
        ).values_list("date", "is_working_day")
        self.entries, self.entered_years = {}, set()
        for date, working in rows:
            self.entered_years.add(date.year)
            if start <= date <= self.end:
                self.entries[date] = working

    def is_working_day(self, day):
        if not (self.start <= day <= self.end):
            self.__init__(day, strict=self.strict)
        if day in self.entries:
            return self.entries[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if self.strict and day.year not in self.entered_years:
                raise UnknownHolidayCalendar(day.year) from None
            return day.weekday() < 5


def is_working_day(day: datetime.date, *, strict=True) -> bool:
    return WorkingCalendar(day, strict=strict).is_working_day(day)


def add_working_days(start: datetime.date, days: int, *, strict=True) -> datetime.date:
    """The date on which a window of `days` working days that opens on
    `start` ends. `start` counts as the first day when it is a working day."""
    if days < 1:
        raise ValueError("days must be at least 1")
    calendar = WorkingCalendar(start, strict=strict)
    day = start
    counted = 0
    while True:
        if calendar.is_working_day(day):
            counted += 1
            if counted == days:
                return day
        day += datetime.timedelta(days=1)


def working_days_between(start: datetime.date, end: datetime.date, *, strict=True) -> int:
    """Working days from start to end, both included."""
    calendar = WorkingCalendar(start, strict=strict)
    count = 0
    day = start
    while day <= end:
        count += calendar.is_working_day(day)
        day += datetime.timedelta(days=1)
    return count
