"""企业微信 (WeCom) application messages over its documented HTTP API, a
client of our own: two calls (gettoken, message/send) do not justify
wechatpy, whose last stable release is from 2021 and which pulls in its
own HTTP and crypto stack.

- GET  /cgi-bin/gettoken?corpid=ID&corpsecret=SECRET
  → {"errcode": 0, "errmsg": "ok", "access_token": "…", "expires_in": 7200}
- POST /cgi-bin/message/send?access_token=TOKEN with
  {"touser": "userid", "msgtype": "textcard", "agentid": 1000002,
   "textcard": {"title", "description", "url", "btntxt"}}
  → {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": "…"}

The token is cached until shortly before `expires_in`; a send answered
40014 (invalid token) or 42001 (token expired) fetches a new token and
sends once more."""

from django.conf import settings
from django.utils.translation import gettext as _

from workflows.notifications.channels.sealing import unseal
from workflows.notifications.channels.base import DeliveryFailed, TokenCache, request_json, truncate_bytes, with_query

TOKEN_ERRORS = {40014, 42001}


def base_url():
    return getattr(settings, "UNIONFLOW_WECOM_BASE_URL", "https://qyapi.weixin.qq.com")


class WeComClient:
    def __init__(self, corp_id, secret):
        self.corp_id, self.secret = corp_id, secret
        self.tokens = TokenCache("wecom", corp_id, secret)

    def token(self, *, fresh=False):
        token = None if fresh else self.tokens.get()
        if token:
            return token
        answer = request_json(with_query(base_url(), "/cgi-bin/gettoken", corpid=self.corp_id,
                                         corpsecret=self.secret))
        if answer.get("errcode", 0) != 0 or not answer.get("access_token"):
            raise DeliveryFailed(answer.get("errcode", "no-token"), answer.get("errmsg", ""))
        self.tokens.put(answer["access_token"], answer.get("expires_in"))
        return answer["access_token"]

    def post(self, path, payload):
        """POST with the cached token; once more with a new token when the
        platform says the token is invalid or expired."""
        answer = request_json(with_query(base_url(), path, access_token=self.token()), payload=payload)
        if answer.get("errcode") in TOKEN_ERRORS:
            self.tokens.drop()
            answer = request_json(with_query(base_url(), path, access_token=self.token(fresh=True)), payload=payload)
        if answer.get("errcode", 0) != 0:
            raise DeliveryFailed(answer.get("errcode"), answer.get("errmsg", ""))
        return answer

    def send_textcard(self, *, agent_id, touser, title, description, url, button):
        answer = self.post("/cgi-bin/message/send", {
            "touser": touser,
            "msgtype": "textcard",
            "agentid": int(agent_id),
            "textcard": {
                "title": truncate_bytes(title, 128),
                "description": truncate_bytes(description, 512),
                "url": url,
                "btntxt": button,
            },
        })
        # errcode 0 but the user unknown to the corporation: nothing arrived.
        if answer.get("invaliduser"):
            raise DeliveryFailed("invaliduser", answer["invaliduser"])
        return str(answer.get("msgid", ""))


class WeComChannel:
    code = "wecom"

    def address_of(self, profile):
        return profile.wecom_userid if profile else ""

    def send(self, config, address, message):
        client = WeComClient(config.app_id, unseal(config.secret))
        return client.send_textcard(agent_id=config.agent_id, touser=address, title=message.title,
                                    description=message.body or message.title, url=message.url,
                                    button=_("Details"))
