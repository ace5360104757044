from .flows import inbox_tasks


def header(request):
    """The inbox count shown in every page's header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_count": inbox_tasks(user).count()}
