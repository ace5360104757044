from workflows.organisations.access import is_district_admin
from workflows.steps.actors import inbox_tasks


def header(request):
    """The inbox count shown in every page's header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from workflows.notifications.services import unread_count

    return {
        "inbox_count": inbox_tasks(user).count(),
        "unread_notifications": unread_count(user),
        "is_district_admin": is_district_admin(user),
    }
