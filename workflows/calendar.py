"""Working days as China's calendar counts them: statutory holidays are off,
make-up working days (调休) on weekends are on. Years the installed
chinese-calendar does not know yet fall back to Monday–Friday."""

import datetime

import chinese_calendar


def is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date on which a window of `days` working days that opens on
    `start` ends. `start` counts as the first day when it is a working day."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day = start
    counted = 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == days:
                return day
        day += datetime.timedelta(days=1)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days from start to end, both included."""
    count = 0
    day = start
    while day <= end:
        count += is_working_day(day)
        day += datetime.timedelta(days=1)
    return count
