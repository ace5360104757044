"""The evaluation's viewflow flow, built from its declaration: one node per
step, routing by state, the process row locked."""

from workflows.steps.flows import build_flow

from .declaration import EVALUATION
from .models import EvaluationProcess

EvaluationFlow = build_flow(EVALUATION, name="EvaluationFlow", module=__name__, process_class=EvaluationProcess)
