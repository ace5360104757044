from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from .flows import acting_pair, inbox_tasks
from .models import Organisation


def home(request):
    return redirect("inbox")


@login_required
def inbox(request):
    page = Paginator(inbox_tasks(request.user).prefetch_related("process__artifact"), 25).get_page(
        request.GET.get("page")
    )
    orgs = Organisation.objects.in_bulk({acting_pair(t)[1] for t in page.object_list})
    rows = [
        {
            "task": task,
            "case": task.process.artifact,
            "step": task.flow_task.task_title,
            "organisation": orgs.get(acting_pair(task)[1]),
        }
        for task in page.object_list
    ]
    page.object_list = rows
    return render(request, "workflows/inbox.html", {"page_obj": page})


def verify_certificate(request, token):
    raise NotImplementedError
