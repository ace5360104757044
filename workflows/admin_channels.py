"""The admin of the notification channels: a district's credentials,
saved through the same service as the district's page (audited; the
secret is a write-only field, never listed nor shown back), and the
deliveries with what each platform answered (records: read only; a failed
one can be owed again)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from workflows.middleware import client_ip
from workflows.models import ChannelDelivery, ChannelSettings, DeliveryState
from workflows.notifications.channels.configuration import SETTING_FIELDS, do_save_channel_settings
from workflows.notifications.channels.dispatch import do_retry_delivery


class ChannelSettingsAdminForm(forms.ModelForm):
    new_secret = forms.CharField(
        label=_("Secret"), required=False, max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again; leave empty to keep the stored secret."),
    )

    class Meta:
        model = ChannelSettings
        fields = ["district", "channel", *[f for f in SETTING_FIELDS if f != "enabled"], "enabled"]


@admin.register(ChannelSettings)
class ChannelSettingsAdmin(admin.ModelAdmin):
    form = ChannelSettingsAdminForm
    list_display = ["district", "channel", "enabled", "app_id", "agent_id", "secret_set_at", "updated"]
    list_filter = ["channel", "enabled"]
    readonly_fields = ["secret_set_at", "updated"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        # Which district and platform a row is for is fixed once saved.
        return self.readonly_fields + (["district", "channel"] if obj else [])

    def has_delete_permission(self, request, obj=None):
        return False  # switched off instead: its deliveries name it

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = do_save_channel_settings(
            district=obj.district, channel=obj.channel,
            values={name: data[name] for name in SETTING_FIELDS if name in data},
            secret=data.get("new_secret", ""), acting_user=request.user, ip=client_ip(request),
        )
        obj.pk = saved.pk


@admin.register(ChannelDelivery)
class ChannelDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created", "district", "user", "channel", "address", "event", "state", "attempts", "errcode",
                    "errmsg", "sent_at"]
    list_filter = ["state", "channel", "district"]
    search_fields = ["address", "user__username", "errcode"]
    list_select_related = ["district", "user"]
    date_hierarchy = "created"
    actions = ["try_again"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Try the failed deliveries again"))
    def try_again(self, request, queryset):
        owed = sum(1 for d in queryset.exclude(state=DeliveryState.SENT)
                   if do_retry_delivery(d, acting_user=request.user, ip=client_ip(request)) is not None)
        self.message_user(request, ngettext("%(n)d delivery will be tried again.",
                                            "%(n)d deliveries will be tried again.", owed) % {"n": owed},
                          messages.SUCCESS)
