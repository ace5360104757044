"""The cases' viewflow flow, built from the declaration (one node per step,
routing by the case's state)."""

from workflows.steps.flows import build_flow

from .declaration import KIND_CASE_PROCESS
from .models import KindCaseProcess

KindCaseFlow = build_flow(KIND_CASE_PROCESS, name="KindCaseFlow", module=__name__, process_class=KindCaseProcess)
