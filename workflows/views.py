from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


def home(request):
    return redirect("inbox")


@login_required
def inbox(request):
    raise NotImplementedError


def verify_certificate(request, token):
    raise NotImplementedError
