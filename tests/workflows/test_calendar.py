"""Working days as China's calendar counts them (National Day 2025: 1–8
October off; Sunday 28 September and Saturday 11 October are make-up
working days)."""

import datetime

import pytest

from workflows.notices.calendar import UnknownHolidayCalendar, add_working_days, is_working_day, working_days_between
from workflows.steps.deadlines import due_date
from workflows.notices.services import window_end

pytestmark = pytest.mark.django_db

D = datetime.date


def test_holiday_and_make_up_days_of_national_day_2025():
    assert is_working_day(D(2025, 9, 28))  # Sunday, make-up working day
    assert not is_working_day(D(2025, 9, 27))  # Saturday
    assert all(not is_working_day(D(2025, 10, d)) for d in range(1, 9))
    assert is_working_day(D(2025, 10, 11))  # Saturday, make-up working day
    assert not is_working_day(D(2025, 10, 12))


def test_notice_window_across_national_day_ends_on_the_right_date():
    # Fri 26 Sep (1), Sun 28 Sep (2, make-up), Mon 29 (3), Tue 30 (4),
    # the holiday 1–8 Oct, Thu 9 Oct (5).
    assert window_end(D(2025, 9, 26), 5) == D(2025, 10, 9)
    # Tue 30 Sep (1), 9 Oct (2), 10 Oct (3), Sat 11 Oct make-up (4), Mon 13 Oct (5).
    assert window_end(D(2025, 9, 30), 5) == D(2025, 10, 13)
    # Opening on a holiday: the first working day is 9 October.
    assert window_end(D(2025, 10, 3), 5) == D(2025, 10, 14)
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 9)) == 5


def test_step_deadline_counts_from_the_next_day():
    # A task opened on Tue 30 Sep with 3 working days: 9, 10, 11 October.
    assert due_date(D(2025, 9, 30), 3) == D(2025, 10, 11)


def test_unknown_year_is_refused_where_the_law_counts_days():
    # chinese-calendar raises NotImplementedError for years it does not know:
    # a public notice must not silently count across an unknown Spring Festival.
    with pytest.raises(UnknownHolidayCalendar) as refused:
        add_working_days(D(2100, 1, 1), 5)
    assert refused.value.year == 2100


def test_unknown_year_counts_monday_to_friday_for_reminders():
    assert add_working_days(D(2100, 1, 1), 5, strict=False) == D(2100, 1, 7)  # Fri 1 Jan → Thu 7 Jan
    assert not is_working_day(D(2100, 1, 2), strict=False)


def test_entered_calendar_days_win_and_make_a_year_known():
    from workflows.models import CalendarDay

    CalendarDay.objects.create(date=D(2100, 1, 1), is_working_day=False, name="元旦")
    CalendarDay.objects.create(date=D(2100, 1, 2), is_working_day=True, name="元旦调休")
    # Sat 2 Jan is worked, Fri 1 Jan is not: 2, 4, 5, 6, 7 January.
    assert add_working_days(D(2100, 1, 1), 5) == D(2100, 1, 7)
    assert is_working_day(D(2100, 1, 2)) and not is_working_day(D(2100, 1, 1))
    # An entry also overrides the package in a year it knows.
    CalendarDay.objects.create(date=D(2025, 10, 9), is_working_day=False, name="local closure")
    assert not is_working_day(D(2025, 10, 9))


def test_a_window_needs_a_day():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 2), 0)
