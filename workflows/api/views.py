"""The API's endpoints over the engine: who am I, organisations and roles,
processes, cases of every registered process, open tasks, decisions,
yearly figures and the public certificate check. Every case is found
through its process's selector (someone else's is a 404, as on the pages);
every decision is the engine's `decide`."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows.api import render
from workflows.api import serializers as s
from workflows.api.auth import PublicAccess, VerifyRateThrottle, is_token
from workflows.cases.lists import filtered_cases
from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.middleware import client_ip
from workflows.models import Certificate, Organisation, TaskDeadline
from workflows.organisations.access import memberships
from workflows.organisations.roles import branch_roles, role_choices, role_label
from workflows.steps.decisions import decide, may_take
from workflows.steps.inbox import cases_of_tasks, filtered_tasks
from workflows.steps.registry import case_api_of, figures, process_named, processes
from workflows.steps.tasks import acting_pair


class Pages(PageNumberPagination):
    page_size = 25


def paginated(view, request, items, build):
    paginator = Pages()
    page = paginator.paginate_queryset(items, request, view=view)
    return paginator.get_paginated_response([build(item) for item in page])


def _process_or_404(key):
    try:
        process = process_named(key)
    except KeyError:
        raise Http404() from None
    if case_api_of(process) is None or process.selector is None:
        raise Http404()
    return process


def _case_or_404(user, process, pk):
    return get_object_or_404(process.selector(user), pk=pk)


PAGE = OpenApiParameter("page", OpenApiTypes.INT, description="Page number (25 rows a page).")
# The registered processes and figures, as the schema's enums (the URL
# conf, and so this module, loads after every app has registered).
KEY = OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH, description="A process's key",
                       enum=sorted(p.key for p in processes() if case_api_of(p) is not None) or None)
NAME = OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, description="The figures' name",
                        enum=sorted(figures()) or None)


class MeView(APIView):
    @extend_schema(responses=s.MeSerializer, summary="The calling account and its roles")
    def get(self, request):
        user = request.user
        return Response({
            "username": user.get_username(), "name": user.get_full_name(),
            "token_scope": request.auth.scope if is_token(request) else None,
            "memberships": [
                {"organisation": render.organisation_ref(m.organisation), "role": m.role,
                 "role_label": str(role_label(m.role)),
                 "on_behalf_of": m.delegated_by.get_username() if getattr(m, "delegated_by", None) else None}
                for m in memberships(user)
            ],
        })


class RoleListView(APIView):
    @extend_schema(responses=s.RoleSerializer(many=True), summary="Roles people hold at organisations")
    def get(self, request):
        branch = branch_roles()
        return Response([{"code": code, "label": str(label), "sees_branch": code in branch}
                         for code, label in role_choices()])


def organisations_visible_to(user):
    """The user's organisations and the branch below those where they hold
    a branch role (as the pages' scoping: visible_organisations_q)."""
    return Organisation.objects.filter(_org_q(user)).order_by("path")


def _org_q(user):
    q = Q(pk__in=[])
    for m in memberships(user):
        if m.role in branch_roles():
            q |= Q(path__startswith=m.organisation.path)
        else:
            q |= Q(pk=m.organisation_id)
    return q


class OrganisationListView(APIView):
    @extend_schema(responses=s.paged("Organisations", s.OrganisationSerializer), parameters=[PAGE],
                   summary="Organisations you may see", operation_id="organisations_list")
    def get(self, request):
        return paginated(self, request, organisations_visible_to(request.user), render.organisation)


class OrganisationDetailView(APIView):
    @extend_schema(responses=s.OrganisationSerializer, summary="One organisation you may see")
    def get(self, request, pk):
        return Response(render.organisation(get_object_or_404(organisations_visible_to(request.user), pk=pk)))


class ProcessListView(APIView):
    @extend_schema(responses=s.ProcessSerializer(many=True), summary="The registered processes, as declared")
    def get(self, request):
        return Response([render.process_data(p) for p in processes() if case_api_of(p) is not None])


class ProcessDetailView(APIView):
    @extend_schema(responses=s.ProcessSerializer, parameters=[KEY],
                   summary="One process: its states, steps and decisions")
    def get(self, request, key):
        return Response(render.process_data(_process_or_404(key)))


class CaseListView(APIView):
    @extend_schema(
        responses=s.paged("Cases", s.CaseSummarySerializer), summary="A process's cases, as its list page shows them",
        operation_id="processes_cases_list",
        parameters=[KEY, PAGE, OpenApiParameter("state", OpenApiTypes.STR, description="A state code"),
                    OpenApiParameter("q", OpenApiTypes.STR, description="Search, as on the list page")],
        description="Other filters per process: see `filters` of /api/v1/processes/{key}/.",
    )
    def get(self, request, key):
        process = _process_or_404(key)
        cases = filtered_cases(process.key, request.user, request.query_params)[1]
        labels = render.state_labels(process)
        return paginated(self, request, cases, lambda case: render.case_summary(case, process, labels))


class CaseDetailView(APIView):
    @extend_schema(responses=s.CaseDetailSerializer, parameters=[KEY],
                   summary="One case: fields, history (the audit log), documents, what you may decide")
    def get(self, request, key, pk):
        process = _process_or_404(key)
        return Response(render.case_detail(request.user, _case_or_404(request.user, process, pk), process))


class DecisionView(APIView):
    def decision_data(self, request, case):
        """The request's body as this view reads it (a view serving an old
        address translates it here)."""
        return request.data

    @extend_schema(
        request=s.DecisionRequestSerializer, responses={200: s.CaseDetailSerializer}, parameters=[KEY],
        summary="Take a decision of the case's open step",
        description="The same service and rules as the case's page: the version you saw (409 when the case "
                    "moved on), `confirm: true` for a final decision (else 400), 403 when the step is not "
                    "yours, 404 for a case you may not see. Needs a token with the decide scope.",
    )
    def post(self, request, key, pk):
        process = _process_or_404(key)
        case = _case_or_404(request.user, process, pk)
        data = s.DecisionRequestSerializer(data=self.decision_data(request, case))
        data.is_valid(raise_exception=True)
        wanted = data.validated_data
        if wanted["version"] != case.version:
            # The case moved on since it was read (the engine checks again
            # under the row lock): answered before whose step it now is.
            raise AlreadyHandled()
        if not may_take(request.user, case):
            raise NotAllowed(_("This step is not yours to take."))
        step = process.step_of_state(case.state)
        if step.name not in render.decision_steps(process, case_api_of(process)):
            raise NotAllowed(_("This step is taken on its own page, not through the API."))
        chosen = step.decision(case, wanted["decision"])
        if chosen is None:
            raise ValidationError({"decision": [_("This decision is not possible at this step.")]})
        if chosen.final and not wanted["confirm"]:
            raise ValidationError({"confirm": [
                _("%(decision)s is final: send \"confirm\": true to take it.") % {"decision": chosen.label}]})
        decide(case=case, actor=request.user, decision=chosen.code, comment=wanted["comment"],
               version=wanted["version"], ip=client_ip(request))
        return Response(render.case_detail(request.user, case, process))


class TaskListView(APIView):
    @extend_schema(
        responses=s.paged("Tasks", s.TaskSerializer), summary="Your open tasks (the inbox)",
        parameters=[PAGE, OpenApiParameter("step", OpenApiTypes.STR, description="A step key (see step_key)"),
                    OpenApiParameter("q", OpenApiTypes.STR, description="Search the cases, as in the inbox")],
    )
    def get(self, request):
        tasks, _steps, _step, _query = filtered_tasks(request.user, request.query_params)
        paginator = Pages()
        page = list(paginator.paginate_queryset(tasks, request, view=self))
        cases_of_tasks(page)
        page = [t for t in page if getattr(t.process, "artifact", None) is not None]
        organisations = Organisation.objects.in_bulk({acting_pair(t)[1] for t in page})
        deadlines = {d.task_id: d for d in TaskDeadline.objects.filter(task__in=page)}
        labels = {}
        return paginator.get_paginated_response(
            [render.task_row(t, organisations, deadlines, labels) for t in page])


class FiguresView(APIView):
    @extend_schema(
        responses=s.FiguresSerializer, summary="A process's yearly figures (e.g. the work plan's coverage)",
        parameters=[NAME, OpenApiParameter("year", OpenApiTypes.INT, description="2000–2100; default this year"),
                    OpenApiParameter("branch", OpenApiTypes.INT, description="An organisation in your scope")],
    )
    def get(self, request, name):
        registered = figures().get(name)
        if registered is None:
            raise Http404()
        title, compute = registered
        raw = request.query_params.get("year", "")
        if raw:
            if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
                raise ValidationError({"year": [_("A year between 2000 and 2100.")]})
            year = int(raw)
        else:
            year = timezone.localdate().year
        branch = request.query_params.get("branch") or None
        return Response({"name": name, "title": str(title), "year": year,
                         "data": compute(request.user, year, branch)})


class CertificateCheckView(APIView):
    """The public check of a certificate, as the verification page shows
    it: what is printed on it and whether it still stands."""

    permission_classes = [PublicAccess]
    authentication_classes = []
    throttle_classes = [VerifyRateThrottle]
    public_endpoint = True

    @extend_schema(responses=s.CertificateCheckSerializer, auth=[], summary="Verify a certificate (public)")
    def get(self, request, token):
        certificate = Certificate.objects.filter(token=token).first()
        if certificate is None:
            raise Http404()
        response = Response({
            "number": certificate.number, "holder_name": certificate.holder_name,
            "award_title": certificate.award_title, "issuer": certificate.issuer,
            "issued_on": certificate.issued_on, "status": certificate.status,
            "status_label": str(certificate.get_status_display()), "revoked_on": certificate.revoked_on,
        })
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
