"""A process's old coverage address (from before the one page): sends its
visitor to /coverage/ with the same question, this year unless asked. The
public gets the login page, as from every private page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET


@login_required
@require_GET
def moved_to_the_coverage_page(request):
    params = request.GET.copy()
    if not params.get("year"):
        params["year"] = timezone.localdate().year
    return redirect(f"{reverse('coverage:dashboard')}?{params.urlencode()}")
