"""The report's viewflow flow, built from its declaration: one node per
step, routing by the report's state (workflows.steps.flows.build_flow)."""

from workflows.steps.flows import build_flow

from .declaration import REPORT_PROCESS
from .models import ReportProcess

ReportFlow = build_flow(REPORT_PROCESS, name="ReportFlow", module=__name__, process_class=ReportProcess)
