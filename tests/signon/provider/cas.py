"""A small CAS 3 server: /provider/cas/login asks for a user name and
sends the browser back to the service with a ticket; /provider/cas/p3/
serviceValidate answers as the CAS protocol 3.0 specifies (XML, with
attributes). Tickets are single-use and live in this process."""

import secrets
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt

TICKETS = {}
ATTRIBUTES = {"cas_li": {"employeeNumber": "li_clerk"}, "cas_admin": {"employeeNumber": "E-0001"}}

FORM = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>省统一身份认证（CAS）</title></head>
<body><h1>省统一身份认证（CAS）</h1><form method="post"><input type="hidden" name="service" value="{service}">
<label>用户名 <input name="username"></label><button id="cas-submit">登录</button></form></body></html>"""


@csrf_exempt
def login(request):
    service = request.POST.get("service") or request.GET.get("service", "")
    if request.method == "POST":
        ticket = "ST-" + secrets.token_urlsafe(16)
        TICKETS[ticket] = (request.POST["username"], service)
        joiner = "&" if "?" in service else "?"
        return HttpResponseRedirect(f"{service}{joiner}{urlencode({'ticket': ticket})}")
    return HttpResponse(FORM.format(service=escape(service, {'"': "&quot;"})))


def service_validate(request):
    found = TICKETS.pop(request.GET.get("ticket", ""), None)
    ns = 'xmlns:cas="http://www.yale.edu/tp/cas"'
    if found is None or found[1] != request.GET.get("service"):
        body = f'<cas:serviceResponse {ns}><cas:authenticationFailure code="INVALID_TICKET">' \
               "ticket not recognized</cas:authenticationFailure></cas:serviceResponse>"
    else:
        user = found[0]
        attributes = "".join(f"<cas:{k}>{escape(v)}</cas:{k}>" for k, v in ATTRIBUTES.get(user, {}).items())
        body = f"<cas:serviceResponse {ns}><cas:authenticationSuccess><cas:user>{escape(user)}</cas:user>" \
               f"<cas:attributes>{attributes}</cas:attributes></cas:authenticationSuccess></cas:serviceResponse>"
    return HttpResponse(body, content_type="application/xml; charset=utf-8")
