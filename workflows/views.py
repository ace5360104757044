"""The start page, and the health check."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache



def home(request):
    """Signed-in users start at their inbox; the public gets a home page
    leading to the public notices and to certificate verification."""
    if request.user.is_authenticated:
        return redirect("inbox")
    return render(request, "public_home.html", {"issuer": settings.UNIONFLOW_ISSUER})



@never_cache
def healthz(request):
    """For a load balancer, a monitor and the load benchmark (bench/web.py):
    one trivial query (is the database there?), no session, no template.
    The answer is for machines, not people: it is not translated."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
