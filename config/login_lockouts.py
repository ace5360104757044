"""Login lockouts beyond django-axes' own (an account from one address,
AXES_FAILURE_LIMIT failures, AXES_COOLOFF_TIME):

- an account, from any addresses: UNIONFLOW_ACCOUNT_FAILURE_LIMIT failures
  within UNIONFLOW_ACCOUNT_LOCKOUT_MINUTES lock it for as long, even for the
  right password, and its holder and the district administrator are told
  (a password sprayed from many addresses stays under the per-address limit);
- an address, for any accounts: failures on UNIONFLOW_ADDRESS_ACCOUNT_LIMIT
  different user names within UNIONFLOW_ADDRESS_LOCKOUT_MINUTES lock the
  address for as long (one address trying name after name);
- every rule counts an IPv6 client by its /64 network: one subscriber is
  given a whole /64 and could otherwise take a new address per try.

The failures are axes' AccessFailureLog rows (one per failed login that was
not itself refused: tries while locked are not counted, so a lockout ends
when its time is up). A lockout is a config.models.LoginLockout row; an
administrator lifts one early by deleting it in the admin."""

import datetime
import ipaddress
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from workflows.middleware import client_ip
from workflows.notifications.services import notify, register_event

from .models import LockoutKind, LoginLockout

log = logging.getLogger(__name__)

ACCOUNT_LOCKED_EVENT = "workflows.event.account_locked"


def address_bucket(address):
    """The unit failures are counted under: an IPv4 address itself, an IPv6
    address's /64 network (an IPv4-mapped one as the IPv4 address)."""
    if not address:
        return None
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def client_address(request):
    """AXES_CLIENT_IP_CALLABLE: the client address as workflows.middleware.
    client_ip reads it (TRUSTED_PROXY_COUNT), counted by /64 for IPv6."""
    return address_bucket(client_ip(request))


def _minutes(name):
    return datetime.timedelta(minutes=int(getattr(settings, name)))


def active_lockout(username, address, now=None):
    """The lockout holding for this user name or address now, or None."""
    now = now or timezone.now()
    match = Q(kind=LockoutKind.ACCOUNT, key=username or "")
    if address:
        match |= Q(kind=LockoutKind.ADDRESS, key=address)
    return LoginLockout.objects.filter(match, until__gt=now).order_by("-until").first()


def _lock(kind, key, failures, spread, now, length):
    """Create the lockout unless one already holds: returns the new row, or
    None. Two workers failing in the same instant may both create one (no
    row exists yet to lock): harmless, both end at about the same time, and
    the notice is keyed by the account and the minute, so it goes once."""
    if LoginLockout.objects.filter(kind=kind, key=key, until__gt=now).exists():
        return None
    return LoginLockout.objects.create(kind=kind, key=key, failures=failures, spread=spread, locked_at=now,
                                       until=now + length)


def apply_wider_lockouts(username, address, now=None):
    """After a failure was logged: lock the account or the address if a
    rule above is met. Returns the lockout created, or None."""
    now = now or timezone.now()
    created = None
    if username:
        window = _minutes("UNIONFLOW_ACCOUNT_LOCKOUT_MINUTES")
        failures = AccessFailureLog.objects.filter(username=username, attempt_time__gt=now - window)
        count = failures.count()
        if count >= settings.UNIONFLOW_ACCOUNT_FAILURE_LIMIT:
            spread = failures.values("ip_address").distinct().count()
            created = _lock(LockoutKind.ACCOUNT, username, count, spread, now, window)
            if created:
                log.warning("Login lockout: account %r after %d failures from %d addresses.", username, count, spread)
                _tell_holder_and_administrators(created)
    if address:
        window = _minutes("UNIONFLOW_ADDRESS_LOCKOUT_MINUTES")
        failures = AccessFailureLog.objects.filter(ip_address=address, attempt_time__gt=now - window)
        accounts = failures.values("username").distinct().count()
        if accounts >= settings.UNIONFLOW_ADDRESS_ACCOUNT_LIMIT:
            locked = _lock(LockoutKind.ADDRESS, address, failures.count(), accounts, now, window)
            if locked:
                log.warning("Login lockout: address %s after failures on %d accounts.", address, accounts)
                created = created or locked
    return created


def district_administrators_of(user):
    """The administrators of the district (root organisation) the account
    belongs to; of every district when it belongs to none."""
    from workflows.models import Membership, Organisation
    from workflows.organisations.roles import ADMINISTRATOR

    paths = Membership.objects.filter(user=user).values_list("organisation__path", flat=True)
    roots = {int(path.strip("/").split("/")[0]) for path in paths if path.strip("/")}
    if not roots:
        roots = set(Organisation.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    return get_user_model().objects.filter(
        memberships__role=ADMINISTRATOR, memberships__organisation__in=roots, is_active=True).distinct()


def _tell_holder_and_administrators(lockout):
    holder = get_user_model().objects.filter(username=lockout.key).first()
    if holder is None:
        return  # no such account: nothing of anyone's is at stake
    notify(
        [holder, *district_administrators_of(holder)],
        event=ACCOUNT_LOCKED_EVENT,
        data={"username": lockout.key, "failures": lockout.failures, "addresses": lockout.spread,
              "until": lockout.until.isoformat()},
        key=f"login-lockout:{holder.pk}:{lockout.locked_at:%Y%m%d%H%M}",
    )


def _render_account_locked(data):
    until = parse_datetime(data.get("until", ""))
    values = {**data, "until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M") if until else "?"}
    return (
        _("Account %(username)s is locked after %(failures)s failed logins") % values,
        _("%(failures)s wrong passwords were tried for the account %(username)s from %(addresses)s addresses, "
          "so it cannot log in until %(until)s, not even with the right password. If its holder did not make "
          "these attempts, someone may be guessing the password: the district administrator can see the "
          "addresses in the admin (access failures) and lift the lockout early (login lockouts).") % values,
    )


register_event(ACCOUNT_LOCKED_EVENT, _render_account_locked)


class LockoutHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler, with the wider lockouts above."""

    def is_locked(self, request, credentials=None):
        if super().is_locked(request, credentials):
            return True
        lockout = active_lockout(get_client_username(request, credentials), getattr(request, "axes_ip_address", None))
        if lockout is not None:
            request.unionflow_lockout = lockout
            return True
        return False

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is not None and getattr(request, "unionflow_lockout", None) is not None:
            # Refused by a wider lockout (is_locked above): no password was
            # checked, so nothing is logged or counted (that would stretch
            # the lockout); this response is the lockout page.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            return
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        lockout = apply_wider_lockouts(get_client_username(request, credentials), request.axes_ip_address)
        if lockout is not None:
            # This very response is the lockout page (axes' middleware shows it).
            request.axes_locked_out = True
            request.axes_credentials = credentials
            request.unionflow_lockout = lockout
