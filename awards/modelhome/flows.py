"""The model-home application's viewflow flow, built from its declaration."""

from workflows.steps.flows import build_flow

from .declaration import MODEL_HOME
from .models import ApplicationProcess

ModelHomeFlow = build_flow(MODEL_HOME, name="ModelHomeFlow", module=__name__, process_class=ApplicationProcess)
