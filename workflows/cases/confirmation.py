"""The page that asks "are you sure?" before a final action that is not a
decision of the declaration (a withdrawal, a bulk action, a public notice):
the question, what it will touch, and the same post again with
`confirmed=yes` (no JavaScript needed). A process's view renders it when
the post is not yet confirmed::

    if request.POST.get("confirmed") != "yes":
        return confirm_page(request, title=_("Withdraw"), question=_("Withdraw the case?"),
                            button=_("Yes, withdraw"), style="danger", cancel_url=case.get_absolute_url())

`items` are listed under the text; `aside` is a second list under
`aside_title` (what the action leaves out); `hidden` are (name, value)
pairs posted back with the confirmation."""

from django.shortcuts import render


def confirm_page(request, *, title, question, button, cancel_url, text="", items=(), aside=(), aside_title="",
                 hidden=(), style="primary"):
    return render(request, "workflows/confirm_action.html", {
        "title": title, "question": question, "button": button, "cancel_url": cancel_url, "text": text,
        "items": items, "aside": aside, "aside_title": aside_title, "hidden": hidden, "style": style,
    })
