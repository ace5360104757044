"""A process's own service (saving a draft, generating codes) locks its
case's row as the decision service does: the row read again under
select_for_update, and refused as already handled (HTTP 409) when the form
was drawn from another version or the case has left the states the action
needs."""

from workflows.exceptions import AlreadyHandled, version_seen


def lock_seen(case, *, version=None, states=None, related=(), moved=None):
    """The case's row (that row alone), locked, with `related` read in;
    `version` is what a form carried (None: not asked); `moved` says why
    the action can no longer be done once the case left `states`."""
    current = type(case).objects.select_for_update(of=("self",)).select_related(*related).get(pk=case.pk)
    if version is not None and version_seen(version) != current.version:
        raise AlreadyHandled()
    if states is not None and current.state not in states:
        raise AlreadyHandled(moved)
    return current
