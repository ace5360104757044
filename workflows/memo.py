"""What one decision reads once, however many of its parts ask.

The decision service opens a scope (`decision_memo`) around its
transaction; inside it `remembered(key, read)` reads on the first call and
answers from the scope after. Outside a scope every call reads. The scope
lives in a context variable and ends with the decision: nothing is kept
between requests, threads or tests. Only what the decision itself does not
change belongs here (a district's webhooks, not the case's tasks)."""

import contextlib
import contextvars

_memo = contextvars.ContextVar("unionflow_decision_memo", default=None)


@contextlib.contextmanager
def decision_memo():
    if _memo.get() is not None:  # a nested service shares the outer scope
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key, read):
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]
