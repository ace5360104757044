"""The page django-axes shows a locked-out login (AXES_LOCKOUT_CALLABLE):
the login form's look, in the reader's language, saying how long to wait."""

import math

from django.conf import settings
from django.shortcuts import render

# auth.User's user name column; a constant here, as settings may not import models.
USERNAME_MAX_LENGTH = 150


def lockout_response(request, original_response=None, credentials=None):
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


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
