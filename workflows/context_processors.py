from workflows.organisations.administration import is_district_admin
from workflows.steps.actors import inbox_tasks


def header(request):
    """The inbox count shown in every page's header: worked out once per
    request (a page rendering two templates asks twice)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(request, "_unionflow_header", None)
    if cached is not None:
        return cached
    from workflows.notifications.services import unread_count

    known = getattr(request, "_unionflow_inbox_count", None)
    request._unionflow_header = {
        "inbox_count": known if known is not None else inbox_tasks(user).order_by().count(),
        "unread_notifications": unread_count(user),
        "is_district_admin": is_district_admin(user),
    }
    return request._unionflow_header


def remember_inbox_count(request, count):
    """A page that has counted the user's open tasks (the inbox) hands the
    figure to the header, which then asks the database nothing more."""
    request._unionflow_inbox_count = count
