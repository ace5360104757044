"""What every channel shares: the message it carries, the failure it
raises (with the platform's own error code and message, kept on the
delivery and shown to the district), a JSON-over-HTTP helper, and the
access-token cache of the platforms that hand out tokens.

A channel is an object with `code`, `address_of(profile)` and
`send(config, address, message)`: `config` is the district's
ChannelSettings row, `address` the recipient's id on the platform; `send`
returns the platform's id of the message or raises DeliveryFailed."""

import hashlib
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # absolute: it is opened on a phone, outside the app


class DeliveryFailed(Exception):
    """The platform refused (its errcode/errmsg) or could not be reached
    (errcode "network"). The outbox tries again later."""

    def __init__(self, errcode, errmsg):
        self.errcode = str(errcode)[:60]
        self.errmsg = str(errmsg)[:500]
        super().__init__(f"{self.errcode}: {self.errmsg}")


def timeout():
    return float(getattr(settings, "UNIONFLOW_CHANNEL_TIMEOUT", 10))


def request_json(url, *, payload=None, method=None):
    """GET `url` (or POST `payload` as UTF-8 JSON) and return the answer's
    JSON. A platform answering an HTTP error with a JSON body (Aliyun does)
    returns that body; anything else unreadable is a DeliveryFailed."""
    data = None
    headers = {"Accept": "application/json"}
    if payload is not None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json; charset=utf-8"
    request = urllib.request.Request(url, data=data, headers=headers, method=method or ("POST" if data else "GET"))
    try:
        # The base URLs are settings (https in production), never user input.
        with urllib.request.urlopen(request, timeout=timeout()) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError:
            raise DeliveryFailed(f"http-{exc.code}", raw[:200].decode("utf-8", "replace")) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed("network", str(getattr(exc, "reason", exc))) from exc
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise DeliveryFailed("bad-response", raw[:200].decode("utf-8", "replace")) from exc


def with_query(base, path, **params):
    return f"{base.rstrip('/')}{path}?{urllib.parse.urlencode(params)}"


def truncate_bytes(text, limit):
    """`text` cut to at most `limit` UTF-8 bytes (the platforms count bytes)."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode("utf-8", "ignore") + "…"


class TokenCache:
    """An access token per (platform, application, secret) in Django's
    cache (Redis in production: every worker shares it), kept until a
    little before the platform says it expires. A changed secret is a new
    key, so the old token is never used with it."""

    MARGIN = 300  # seconds before the platform's expiry the token is renewed

    def __init__(self, platform, app_id, secret):
        digest = hashlib.sha256(f"{app_id}\0{secret}".encode()).hexdigest()[:24]
        self.key = f"channels:token:{platform}:{digest}"

    def get(self):
        return cache.get(self.key)

    def put(self, token, expires_in):
        cache.set(self.key, token, max(60, int(expires_in or 7200) - self.MARGIN))

    def drop(self):
        cache.delete(self.key)
