"""The forms of the channel pages: a district's credentials for one
platform (the secret is a password field that never renders its value)
and a user's ids on the platforms."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.models import Channel

APP_ID_LABELS = {
    Channel.WECOM: gettext_lazy("CorpID (企业ID)"),
    Channel.DINGTALK: gettext_lazy("AppKey"),
    Channel.SMS: gettext_lazy("AccessKey ID"),
}
SECRET_LABELS = {
    Channel.WECOM: gettext_lazy("Secret of the application"),
    Channel.DINGTALK: gettext_lazy("AppSecret"),
    Channel.SMS: gettext_lazy("AccessKey secret"),
}
AGENT_ID_LABELS = {
    Channel.WECOM: gettext_lazy("AgentId of the application"),
    Channel.DINGTALK: gettext_lazy("AgentId of the application"),
}

PLATFORM_ID = r"^[A-Za-z0-9_.@\-]*$"


class ChannelSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=gettext_lazy("Switched on"), required=False)
    app_id = forms.CharField(max_length=100, required=False)
    agent_id = forms.CharField(label=gettext_lazy("AgentId"), max_length=40, required=False)
    secret = forms.CharField(max_length=200, required=False, strip=True,
                             widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}))
    sign_name = forms.CharField(label=gettext_lazy("SMS signature (签名)"), max_length=40, required=False)
    template_code = forms.CharField(
        label=gettext_lazy("SMS template code"), max_length=40, required=False,
        help_text=gettext_lazy("An approved template with the variables ${title} and ${url}."),
    )

    def __init__(self, *args, channel, stored, **kwargs):
        self.channel, self.stored = channel, stored
        kwargs.setdefault("initial", {name: getattr(stored, name) for name in
                                      ("enabled", "app_id", "agent_id", "sign_name", "template_code")})
        super().__init__(*args, prefix=channel, **kwargs)
        self.fields["app_id"].label = APP_ID_LABELS[channel]
        self.fields["secret"].label = SECRET_LABELS[channel]
        self.fields["secret"].help_text = (
            _("A secret is stored (set %(date)s); leave empty to keep it.") % {
                "date": stored.secret_set_at.strftime("%Y-%m-%d %H:%M") if stored.secret_set_at else "—"}
            if stored.has_secret else _("No secret stored yet.")
        )
        if channel == Channel.SMS:
            del self.fields["agent_id"]
        else:
            self.fields["agent_id"].label = AGENT_ID_LABELS[channel]
            del self.fields["sign_name"], self.fields["template_code"]

    def clean_agent_id(self):
        value = self.cleaned_data.get("agent_id", "").strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("The AgentId is a number."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("enabled"):
            needed = ["app_id"] + (["sign_name", "template_code"] if self.channel == Channel.SMS else ["agent_id"])
            for name in needed:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed to switch the channel on."))
            if not data.get("secret") and not self.stored.has_secret:
                self.add_error("secret", _("Needed to switch the channel on."))
        return data

    def values(self):
        return {name: self.cleaned_data.get(name, "") for name in self.fields if name != "secret"}


class PlatformIdsForm(forms.Form):
    wecom_userid = forms.RegexField(
        label=gettext_lazy("WeCom user id (企业微信账号)"), regex=PLATFORM_ID, max_length=64, required=False,
        error_messages={"invalid": gettext_lazy("Letters, digits and . _ - @ only.")},
    )
    dingtalk_userid = forms.RegexField(
        label=gettext_lazy("DingTalk user id (钉钉 userid)"), regex=PLATFORM_ID, max_length=64, required=False,
        error_messages={"invalid": gettext_lazy("Letters, digits and . _ - @ only.")},
    )
