from django.shortcuts import render

from .exceptions import AlreadyHandled


class AlreadyHandledMiddleware:
    """Turns a lost race anywhere in a view into a clear 409 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AlreadyHandled):
            return render(request, "already_handled.html", {"message": exception.message}, status=409)
        return None


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None
