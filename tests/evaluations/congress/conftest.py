import datetime
from decimal import Decimal

import pytest

from evaluations.congress.models import ReportKind
from evaluations.congress.periods import do_open_period
from workflows.models import Sector


@pytest.fixture
def kinds(db):
    return {k.code: k for k in ReportKind.objects.all()}


@pytest.fixture
def open_period(tree, kinds):
    def open_(code="entertainment-expenses", year=2024, half=1, sectors=(Sector.NON_PUBLIC, Sector.STATE_OWNED)):
        return do_open_period(kind=kinds[code], year=year, half=half, sectors=list(sectors), district=tree.district,
                              actor=tree.admin_d)

    return open_


EXPENSE = {
    "budget": "50000.00",
    "actual": "42000.00",
    "items": [
        {"item": "客户接待餐费", "amount": "30000.00", "note": "12次"},
        {"item": "会议接待", "amount": "12000.00", "note": ""},
    ],
    "compliance": "严格执行公务接待规定。",
    "review_opinion": "同意该报告。",
    "review_date": datetime.date(2024, 7, 10).isoformat(),
}


@pytest.fixture
def expense_data():
    return lambda **changes: {**EXPENSE, **changes}


def amount(value):
    return str(Decimal(value))
