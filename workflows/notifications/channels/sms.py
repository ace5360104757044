"""SMS through a provider interface. One provider is built: Aliyun's
短信服务 (dysmsapi, API version 2017-05-25, action SendSms), over its
documented RPC-style HTTP API with its signature (HMAC-SHA1, signature
version 1.0), in a client of our own. The SDK
(alibabacloud-dysmsapi20170525) would bring the Tea runtime and
alibabacloud-credentials for one signed GET; the signature is short and
checked in the tests by a server that verifies it.

A provider is `send(config, phone, params) -> message id`; `params` are
the template's variables. The district's template must be approved by
the provider and take the variables ${title} and ${url}."""

import base64
import datetime
import hashlib
import hmac
import json
import urllib.parse
import uuid

from django.conf import settings

from workflows.notifications.channels.sealing import unseal
from workflows.notifications.channels.base import DeliveryFailed, request_json


def aliyun_base_url():
    return getattr(settings, "UNIONFLOW_ALIYUN_SMS_BASE_URL", "https://dysmsapi.aliyuncs.com")


def percent_encode(value):
    """Aliyun's encoding: RFC 3986, space as %20, '*' as %2A, '~' kept."""
    return urllib.parse.quote(str(value), safe="~")


def aliyun_signature(params, secret, method="GET"):
    """The signature of a request's parameters (without Signature)."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class AliyunSms:
    code = "aliyun"

    def send(self, config, phone, params):
        query = {
            "AccessKeyId": config.app_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou",
            "SignName": config.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": config.template_code,
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        query["Signature"] = aliyun_signature(query, unseal(config.secret))
        url = aliyun_base_url().rstrip("/") + "/?" + "&".join(
            f"{percent_encode(k)}={percent_encode(v)}" for k, v in query.items())
        answer = request_json(url)
        if answer.get("Code") != "OK":
            raise DeliveryFailed(answer.get("Code", "unknown"), answer.get("Message", ""))
        return str(answer.get("BizId", ""))


PROVIDERS = {AliyunSms.code: AliyunSms()}


def provider():
    name = getattr(settings, "UNIONFLOW_SMS_PROVIDER", "aliyun")
    try:
        return PROVIDERS[name]
    except KeyError:
        raise DeliveryFailed("config", f"Unknown SMS provider {name!r}") from None


class SmsChannel:
    code = "sms"

    def address_of(self, profile):
        return profile.phone if profile else ""

    def send(self, config, address, message):
        # Template variables are short on every provider: the title, and
        # the link that opens the case.
        return provider().send(config, address, {"title": message.title[:35], "url": message.url})
