"""钉钉 (DingTalk) work notices (工作通知) over its documented HTTP API, a
client of our own. alibabacloud-dingtalk is maintained, but it covers the
new api.dingtalk.com; the work notice is still the oapi call below, which
it does not wrap, and it would add the Tea runtime for two requests.

- GET  /gettoken?appkey=KEY&appsecret=SECRET
  → {"errcode": 0, "errmsg": "ok", "access_token": "…", "expires_in": 7200}
- POST /topapi/message/corpconversation/asyncsend_v2?access_token=TOKEN with
  {"agent_id": 123, "userid_list": "userid", "msg": {"msgtype": "action_card",
   "action_card": {"title", "markdown", "single_title", "single_url"}}}
  → {"errcode": 0, "errmsg": "ok", "task_id": 1, "request_id": "…"}

The send is asynchronous on DingTalk's side: errcode 0 means accepted, and
`task_id` is kept as the message's id. A token answered 40014 (invalid) or
42001 (expired), also as errcode 88 with that sub_code, is fetched again
and the send repeated once."""

from django.conf import settings
from django.utils.translation import gettext as _

from workflows.notifications.channels.sealing import unseal
from workflows.notifications.channels.base import DeliveryFailed, TokenCache, request_json, with_query

TOKEN_ERRORS = {40014, 42001}


def base_url():
    return getattr(settings, "UNIONFLOW_DINGTALK_BASE_URL", "https://oapi.dingtalk.com")


def _token_refused(answer):
    code = answer.get("errcode")
    if code in TOKEN_ERRORS:
        return True
    return code == 88 and str(answer.get("sub_code", "")) in {str(c) for c in TOKEN_ERRORS}


class DingTalkClient:
    def __init__(self, app_key, secret):
        self.app_key, self.secret = app_key, secret
        self.tokens = TokenCache("dingtalk", app_key, secret)

    def token(self, *, fresh=False):
        token = None if fresh else self.tokens.get()
        if token:
            return token
        answer = request_json(with_query(base_url(), "/gettoken", appkey=self.app_key, appsecret=self.secret))
        if answer.get("errcode", 0) != 0 or not answer.get("access_token"):
            raise DeliveryFailed(answer.get("errcode", "no-token"), answer.get("errmsg", ""))
        self.tokens.put(answer["access_token"], answer.get("expires_in"))
        return answer["access_token"]

    def post(self, path, payload):
        answer = request_json(with_query(base_url(), path, access_token=self.token()), payload=payload)
        if _token_refused(answer):
            self.tokens.drop()
            answer = request_json(with_query(base_url(), path, access_token=self.token(fresh=True)), payload=payload)
        if answer.get("errcode", 0) != 0:
            code = answer.get("errcode")
            if answer.get("sub_code"):
                code = f"{code}/{answer['sub_code']}"
            raise DeliveryFailed(code, answer.get("sub_msg") or answer.get("errmsg", ""))
        return answer

    def send_action_card(self, *, agent_id, userid, title, markdown, url, button):
        answer = self.post("/topapi/message/corpconversation/asyncsend_v2", {
            "agent_id": int(agent_id),
            "userid_list": userid,
            "msg": {
                "msgtype": "action_card",
                "action_card": {"title": title[:64], "markdown": markdown, "single_title": button,
                                "single_url": url},
            },
        })
        return str(answer.get("task_id", ""))


def _markdown(message):
    lines = [f"### {message.title}"]
    if message.body:
        lines.append(message.body.replace("\n", "  \n"))
    return "\n\n".join(lines)


class DingTalkChannel:
    code = "dingtalk"

    def address_of(self, profile):
        return profile.dingtalk_userid if profile else ""

    def send(self, config, address, message):
        client = DingTalkClient(config.app_id, unseal(config.secret))
        return client.send_action_card(agent_id=config.agent_id, userid=address, title=message.title,
                                       markdown=_markdown(message), url=message.url, button=_("Details"))
