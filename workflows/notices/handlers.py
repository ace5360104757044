"""The registry of public-notice handlers: each process registers, under a
key stored on its notices, the object that moves its cases on when an
entry passes or an objection is upheld, and that names a published case.
It imports nothing of the engine, so the notice models can use it."""

_HANDLERS = {}


def register_notice_handler(key, handler):
    """Register the object that moves a process's cases on when their entry
    passes a notice or an objection against it is upheld."""
    _HANDLERS[key] = handler


def notice_handler(key):
    try:
        return _HANDLERS[key]
    except KeyError:
        raise LookupError(f"No public-notice handler is registered under {key!r}.") from None
