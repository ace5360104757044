"""A local HTTP server on 127.0.0.1 that answers as 企业微信, 钉钉 and
Aliyun's SMS service do, after their documented request and response
formats (the real services cannot be reached from the test machines).

It checks what a real platform checks: credentials at gettoken, the
access token on each send (expired tokens answer 42001, unknown ones
40014, DingTalk's topapi as errcode 88 with the sub_code), the message
body's required fields, and Aliyun's request signature, computed here
independently of the app's code after Aliyun's published recipe. Tests
can expire the tokens or make the next sends answer an error code."""

import base64
import hashlib
import hmac
import itertools
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WECOM_CORP, WECOM_SECRET, WECOM_AGENT = "ww0123456789abcdef", "wecom-corp-secret", 1000002
DING_KEY, DING_SECRET, DING_AGENT = "dingappkey01", "ding-app-secret", 2233445566
ALIYUN_KEY, ALIYUN_SECRET = "LTAI5tTestKeyId", "aliyun-access-secret"


def _aliyun_encode(value):
    # Aliyun's sample: URLEncoder.encode(value, "UTF-8") with + → %20, * → %2A, %7E → ~
    return urllib.parse.quote_plus(value, encoding="utf-8").replace("+", "%20").replace("*", "%2A").replace(
        "%7E", "~")


def aliyun_expected_signature(params, secret):
    canonical = "&".join(f"{_aliyun_encode(k)}={_aliyun_encode(params[k])}" for k in sorted(params))
    to_sign = "GET&%2F&" + _aliyun_encode(canonical)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakePlatforms:
    def __init__(self):
        self.received = []  # (platform, path, query, body) of every request
        self.tokens = {"wecom": set(), "dingtalk": set()}
        self.expired = {"wecom": set(), "dingtalk": set()}
        self.token_requests = {"wecom": 0, "dingtalk": 0}
        self.fail_next = {}  # platform → [answer, ...] given to the next sends instead
        self.wecom_users = {"zhangsan", "lisi"}
        self._ids = itertools.count(1)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def expire_tokens(self, platform):
        with self.lock:
            self.expired[platform] |= self.tokens[platform]
            self.tokens[platform] = set()

    def sends(self, platform):
        paths = {"wecom": "/cgi-bin/message/send", "dingtalk": "/topapi/message/corpconversation/asyncsend_v2",
                 "aliyun": "/"}
        return [(q, b) for p, path, q, b in self.received if p == platform and path == paths[platform]]

    # -- the platforms ---------------------------------------------------

    def _issue(self, platform):
        token = f"{platform}-token-{next(self._ids)}"
        self.tokens[platform].add(token)
        self.token_requests[platform] += 1
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def _injected(self, platform):
        queue = self.fail_next.get(platform)
        return queue.pop(0) if queue else None

    def wecom(self, method, path, query, body):
        if path == "/cgi-bin/gettoken" and method == "GET":
            if query.get("corpid") != WECOM_CORP or query.get("corpsecret") != WECOM_SECRET:
                return 200, {"errcode": 40001, "errmsg": "invalid credential"}
            return 200, self._issue("wecom")
        if path == "/cgi-bin/message/send" and method == "POST":
            token = query.get("access_token", "")
            if token in self.expired["wecom"]:
                return 200, {"errcode": 42001, "errmsg": "access_token expired"}
            if token not in self.tokens["wecom"]:
                return 200, {"errcode": 40014, "errmsg": "invalid access_token"}
            injected = self._injected("wecom")
            if injected:
                return 200, injected
            if body.get("agentid") != WECOM_AGENT:
                return 200, {"errcode": 40056, "errmsg": "invalid agentid"}
            card = body.get("textcard") or {}
            if body.get("msgtype") != "textcard" or not all(card.get(k) for k in ("title", "description", "url")):
                return 200, {"errcode": 44004, "errmsg": "empty content"}
            if len(card["title"].encode()) > 128 or len(card["description"].encode()) > 512:
                return 200, {"errcode": 45002, "errmsg": "content size out of limit"}
            users = body.get("touser", "").split("|")
            unknown = [u for u in users if u not in self.wecom_users]
            if len(unknown) == len(users):
                return 200, {"errcode": 81013, "errmsg": "user & party & tag all invalid"}
            return 200, {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(unknown),
                         "msgid": f"wecom-msg-{next(self._ids)}"}
        return 404, {"errcode": 404, "errmsg": "not found"}

    def dingtalk(self, method, path, query, body):
        if path == "/gettoken" and method == "GET":
            if query.get("appkey") != DING_KEY or query.get("appsecret") != DING_SECRET:
                return 200, {"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"}
            return 200, self._issue("dingtalk")
        if path == "/topapi/message/corpconversation/asyncsend_v2" and method == "POST":
            token = query.get("access_token", "")
            if token in self.expired["dingtalk"]:
                return 200, {"errcode": 42001, "errmsg": "access_token超时"}
            if token not in self.tokens["dingtalk"]:
                return 200, {"errcode": 88, "errmsg": "ding talk error[subcode=40014,submsg=不合法的access_token]",
                             "sub_code": "40014", "sub_msg": "不合法的access_token"}
            injected = self._injected("dingtalk")
            if injected:
                return 200, injected
            msg = body.get("msg") or {}
            card = msg.get("action_card") or {}
            if body.get("agent_id") != DING_AGENT:
                return 200, {"errcode": 33, "errmsg": "无效的AgentId"}
            if not body.get("userid_list") or msg.get("msgtype") != "action_card" or not all(
                    card.get(k) for k in ("title", "markdown", "single_title", "single_url")):
                return 200, {"errcode": 40035, "errmsg": "缺少参数"}
            return 200, {"errcode": 0, "errmsg": "ok", "task_id": next(self._ids), "request_id": "req-ding"}
        return 404, {"errcode": 404, "errmsg": "not found"}

    def aliyun(self, method, path, query, body):
        if path != "/" or method != "GET":
            return 404, {"Code": "InvalidAction.NotFound", "Message": "Specified api is not found"}
        params = dict(query)
        signature = params.pop("Signature", "")
        if params.get("AccessKeyId") != ALIYUN_KEY:
            return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."}
        for key, value in (("Action", "SendSms"), ("Version", "2017-05-25"), ("Format", "JSON"),
                           ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0")):
            if params.get(key) != value:
                return 400, {"Code": "MissingParameter", "Message": f"{key} is mandatory for this action."}
        if signature != aliyun_expected_signature(params, ALIYUN_SECRET):
            return 400, {"Code": "SignatureDoesNotMatch",
                         "Message": "Specified signature is not matched with our calculation."}
        injected = self._injected("aliyun")
        if injected:
            return 200, injected
        phone = params.get("PhoneNumbers", "")
        if not (phone.isdigit() and len(phone) == 11):
            return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "req-ali"}
        try:
            json.loads(params.get("TemplateParam", ""))
        except ValueError:
            return 200, {"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法", "RequestId": "req-ali"}
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"{next(self._ids)}^0", "RequestId": "req-ali"}

    def _handler(self):
        platforms = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method):
                parsed = urllib.parse.urlsplit(self.path)
                prefix, _, rest = parsed.path.lstrip("/").partition("/")
                query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if method == "POST" else b""
                try:
                    body = json.loads(raw.decode("utf-8")) if raw else {}
                except ValueError:
                    body = {"_unreadable": raw.decode("utf-8", "replace")}
                with platforms.lock:
                    platforms.received.append((prefix, "/" + rest, query, body))
                    status, answer = getattr(platforms, prefix)(method, "/" + rest, query, body) if prefix in (
                        "wecom", "dingtalk", "aliyun") else (404, {})
                data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._answer("GET")

            def do_POST(self):
                self._answer("POST")

            def log_message(self, *args):
                pass

        return Handler
