"""Audit entries of account security (sign-on links, second factor): an
account's events are recorded on its district (as password resets are),
so the district's audit export holds them; an account of no district
(a superuser) has them on the account itself."""

from workflows.audit import log_action
from workflows.models import Membership, Organisation


def district_of_user(user):
    """The district (root organisation) of the user's first membership, or
    None."""
    membership = Membership.objects.filter(user=user).select_related("organisation").order_by("pk").first()
    if membership is None:
        return None
    return Organisation.objects.get(pk=membership.organisation.ancestor_ids[0])


def log_account_action(code, *, user, actor=None, district=None, role="", ip=None, data=None):
    district = district or district_of_user(user)
    payload = {"user": user.pk, "username": user.get_username(), **(data or {})}
    return log_action(
        district if district is not None else user, code, actor=actor, organisation=district, role=role, ip=ip,
        data=payload,
    )
