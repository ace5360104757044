"""The start page."""

from django.conf import settings
from django.shortcuts import redirect, render



def home(request):
    """Signed-in users start at their inbox; the public gets a home page
    leading to the public notices and to certificate verification."""
    if request.user.is_authenticated:
        return redirect("inbox")
    return render(request, "public_home.html", {"issuer": settings.UNIONFLOW_ISSUER})

