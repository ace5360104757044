"""The channel pages: each user's choice of channels per event (with
their ids on the platforms); the district administrator's credentials
per platform (secrets write-only) and the list of deliveries with what
each platform answered, where a failed one can be tried again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workflows.exceptions import NotAllowed
from workflows.middleware import client_ip
from workflows.models import AccountProfile, Channel, ChannelDelivery, DeliveryState, OutboxItem, OutboxState
from workflows.notifications.channel_forms import ChannelSettingsForm, PlatformIdsForm
from workflows.notifications.channels.configuration import (
    choice_grid, do_save_channel_settings, do_set_channel_choices, enabled_channels, settings_of,
)
from workflows.organisations.administration import administered_district
from workflows.notifications.channels.dispatch import DELIVERY, do_retry_delivery, has_given_up
from workflows.notifications.events import in_app_switchable


def _district_of(user):
    district = administered_district(user)
    if district is None:
        raise NotAllowed(_("Only the district administrator can do this."))
    return district


@login_required
@require_http_methods(["GET", "POST"])
def notification_channels(request):
    """Event types × channels, ticked; and the user's platform ids."""
    channels = enabled_channels(request.user)
    profile = AccountProfile.objects.filter(user=request.user).first()
    ids_form = PlatformIdsForm(request.POST or None, initial={
        "wecom_userid": getattr(profile, "wecom_userid", ""),
        "dingtalk_userid": getattr(profile, "dingtalk_userid", ""),
    })
    grid = choice_grid(request.user, channels)
    codes = [Channel.IN_APP.value, Channel.EMAIL.value] + [c.value for c in channels]
    if request.method == "POST":
        ticked = {(event, code) for event, _label, _cells in grid for code in codes
                  if request.POST.get(f"{event}|{code}")}
        if ids_form.is_valid():
            do_set_channel_choices(user=request.user, channels=channels, chosen=ticked,
                                   wecom_userid=ids_form.cleaned_data["wecom_userid"],
                                   dingtalk_userid=ids_form.cleaned_data["dingtalk_userid"])
            messages.success(request, _("Your notification channels are saved."))
            return redirect("notification_channels")
        # Re-render with what was ticked.
        grid = [(event, label, {code: (event, code) in ticked for code in cells}) for event, label, cells in grid]
    missing = []
    for c in channels:
        address = {Channel.WECOM: "wecom_userid", Channel.DINGTALK: "dingtalk_userid", Channel.SMS: "phone"}[c]
        if not getattr(profile, address, ""):
            missing.append(c.label)
    columns = [(c.value, c.label) for c in (Channel.IN_APP, Channel.EMAIL, *channels)]
    # A keyed reminder stays on in the app (its row remembers it was told).
    rows = [(event, label, [(code, column, cells[code] or (code == Channel.IN_APP and not in_app_switchable(event)),
                             code == Channel.IN_APP and not in_app_switchable(event))
                            for code, column in columns])
            for event, label, cells in grid]
    return render(request, "workflows/notification_channels.html", {
        "columns": columns, "rows": rows, "ids_form": ids_form, "missing": missing, "profile": profile,
    })


@login_required
@require_http_methods(["GET", "POST"])
def channel_settings(request):
    district = _district_of(request.user)
    stored = settings_of(district)
    posted = request.POST.get("channel") if request.method == "POST" else None
    if posted is not None and posted not in stored:
        posted = None
    forms = {}
    for code, row in stored.items():
        forms[code] = ChannelSettingsForm(request.POST if code == posted else None, channel=code, stored=row)
    if posted is not None:
        form = forms[posted]
        if form.is_valid():
            do_save_channel_settings(district=district, channel=posted, values=form.values(),
                                     secret=form.cleaned_data.get("secret", ""), acting_user=request.user,
                                     ip=client_ip(request))
            messages.success(request, _("The settings of %(channel)s are saved.") % {
                "channel": Channel(posted).label})
            return redirect("channel_settings")
        messages.error(request, _("Please correct the errors below."))
    elif request.method == "POST":
        messages.error(request, _("Choose a channel."))
    return render(request, "workflows/channel_settings.html", {
        "district": district,
        "forms": [(Channel(code).label, code, form) for code, form in forms.items()],
    })


@login_required
def channel_deliveries(request):
    """The district's deliveries, newest first, by state if asked."""
    district = _district_of(request.user)
    state = request.GET.get("state") or ""
    if state not in DeliveryState.values:
        state = ""
    qs = ChannelDelivery.objects.filter(district=district).select_related("user").order_by("-created", "-pk")
    if state:
        qs = qs.filter(state=state)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # The outbox rows of the page's deliveries, one query: the next try of
    # those waiting again, and whether anything will still send each.
    due, states = {}, {}
    for object_id, item_state, available_at in OutboxItem.objects.filter(
            kind=DELIVERY, object_id__in=[d.pk for d in rows]).values_list("object_id", "state", "available_at"):
        states.setdefault(object_id, set()).add(item_state)
        if item_state == OutboxState.PENDING:
            due[object_id] = max(available_at, due.get(object_id, available_at))
    return render(request, "workflows/channel_deliveries.html", {
        "district": district, "page_obj": page, "state": state,
        "rows": [(d, due.get(d.pk), has_given_up(d, states.get(d.pk, set()))) for d in rows],
        "states": DeliveryState.choices, "query_string": urlencode({"state": state}) if state else "",
    })


@login_required
@require_POST
def channel_delivery_retry(request):
    """Owe a delivery that failed for good to the outbox again."""
    district = _district_of(request.user)
    try:
        delivery_id = int(request.POST.get("delivery", ""))
    except ValueError:
        raise Http404() from None
    if not 0 < delivery_id < 2**63:
        raise Http404()
    delivery = ChannelDelivery.objects.filter(district=district, pk=delivery_id).first()
    if delivery is None:
        raise Http404()
    if do_retry_delivery(delivery, acting_user=request.user, ip=client_ip(request)) is None:
        messages.error(request, _("Only a delivery that failed can be tried again."))
    else:
        messages.success(request, _("The delivery will be tried again."))
    return redirect("channel_deliveries")
