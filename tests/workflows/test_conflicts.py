"""The retry at the service boundary (workflows.conflicts): a deadlock or a
serialization failure runs the service once more; a second one is a 409
"try again", never a 500; inside another transaction it is left to that
transaction's boundary."""

import pytest
from django.db import OperationalError, transaction

from workflows.conflicts import TryAgain, is_lock_conflict, retry_on_conflict


class _Cause(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _conflict(sqlstate="40P01"):
    error = OperationalError("deadlock detected")
    error.__cause__ = _Cause(sqlstate)
    return error


def _service(failures, sqlstate="40P01"):
    calls = []

    @retry_on_conflict
    def service():
        calls.append(1)
        if len(calls) <= failures:
            raise _conflict(sqlstate)
        return "done"

    return service, calls


@pytest.mark.django_db(transaction=True)
def test_a_conflict_is_retried_once():
    for sqlstate in ("40P01", "40001"):
        service, calls = _service(1, sqlstate)
        assert service() == "done" and len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_second_conflict_asks_to_try_again():
    service, calls = _service(2)
    with pytest.raises(TryAgain):
        service()
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_are_not_retried():
    service, calls = _service(1, sqlstate="57014")  # query cancelled
    with pytest.raises(OperationalError):
        service()
    assert len(calls) == 1


@pytest.mark.django_db
def test_inside_a_transaction_the_outer_boundary_retries():
    service, calls = _service(1)
    with pytest.raises(OperationalError), transaction.atomic():
        service()
    assert len(calls) == 1


def test_is_lock_conflict_reads_the_sqlstate():
    assert is_lock_conflict(_conflict("40P01")) and is_lock_conflict(_conflict("40001"))
    assert not is_lock_conflict(_conflict("23505")) and not is_lock_conflict(OperationalError("x"))


@pytest.mark.django_db
def test_a_conflict_that_reaches_a_view_is_a_409_page(rf):
    from django.contrib.auth.models import AnonymousUser

    from workflows.middleware import AlreadyHandledMiddleware

    request = rf.get("/")
    request.user = AnonymousUser()
    response = AlreadyHandledMiddleware(lambda r: None).process_exception(request, _conflict())
    assert response.status_code == 409
    assert AlreadyHandledMiddleware(lambda r: None).process_exception(request, OperationalError("x")) is None
