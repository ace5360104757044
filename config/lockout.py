"""The page django-axes shows a locked-out login (AXES_LOCKOUT_CALLABLE):
the login form's look, in the reader's language, saying how long to wait."""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

# auth.User's user name column; a constant here, as settings may not import models.
USERNAME_MAX_LENGTH = 150


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page. Which lockout holds decides what it says: axes' own
    (this account from this address), or a wider one of config.login_lockouts
    (the account from everywhere, or this address for every account), which
    ends at a time it names."""
    lockout = getattr(request, "unionflow_lockout", None)
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT, "lockout": lockout}
    if lockout is not None:
        context["minutes"] = max(1, math.ceil((lockout.until - timezone.now()).total_seconds() / 60))
        context["until"] = timezone.localtime(lockout.until)
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(context["minutes"] * 60)
    return response


def client_username(request, credentials=None):
    """The user name django-axes counts failures under (AXES_USERNAME_CALLABLE):
    as posted, but never longer than a user name can be and without NUL
    characters, which its table (and PostgreSQL) would refuse with a 500. A
    longer name matches no account anyway: the login form refuses it."""
    if credentials and credentials.get("username") is not None:
        username = credentials["username"]
    else:
        username = request.POST.get("username", "") if request is not None else ""
    return str(username).replace("\x00", "")[:USERNAME_MAX_LENGTH]
