"""Errors as JSON, `{"detail": "…"}` in the caller's language: the engine's
refusals keep the codes the pages answer with (AlreadyHandled 409,
NotAllowed 403, a rule's refusal 400, someone else's object 404); bad
input as `{"detail": "…", "errors": {field: [messages]}}`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from workflows.exceptions import AlreadyHandled, RuleViolation


def exception_handler(exc, context):
    if isinstance(exc, AlreadyHandled):
        return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RuleViolation):
        return Response({"detail": str(exc.message)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied) and exc.args:
        return Response({"detail": str(exc.args[0])}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        # Never what was looked for: someone else's object is just absent.
        exc = Http404()
    response = drf_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        # One shape for every error: `detail` to show, `errors` per field.
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": " ".join(_messages(errors)), "errors": errors}
    return response


def _messages(errors):
    for field, messages in errors.items():
        for message in messages if isinstance(messages, list) else [messages]:
            if isinstance(message, dict):
                yield from _messages(message)
            else:
                yield f"{field}: {message}" if field != "non_field_errors" else str(message)
