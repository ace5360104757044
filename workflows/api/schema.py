"""The OpenAPI schema's common parts: every operation documents the error
answers it can give (so a client, and schemathesis, know them), as
`{"detail": "…"}` (validation errors: {field: [messages]})."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer("Error", {
    "detail": serializers.CharField(),
    "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,
                                    help_text="Bad input: the messages per field."),
})

_DESCRIPTIONS = {
    "400": "Bad input; the message says what to correct.",
    "401": "No valid token (or session).",
    "403": "Not allowed (a read-only token, or a step that is not yours).",
    "404": "No such object among those you may see.",
    "409": "The case moved on since the version you saw (already handled).",
    "406": "The Accept header names no format the API answers in (it answers JSON).",
    "429": "Too many requests for this token: wait a minute.",
}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        public = getattr(self.view, "public_endpoint", False)
        # Any request may name a format the API does not give (406).
        codes = ["404", "406", "429"] if public else ["401", "403", "404", "406", "429"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ["400", "409"]
        elif not public:
            codes += ["400"]  # a filter or page that is not one
        for code in codes:
            if code not in bodies:
                bodies[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code]), code, direction=direction)
        return bodies
