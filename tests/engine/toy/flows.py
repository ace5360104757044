"""The toy's viewflow flow, built from its declaration."""

from workflows.steps.flows import build_flow

from tests.engine.toy.declaration import TOY
from tests.engine.toy.models import ToyProcess

ToyFlow = build_flow(TOY, name="ToyFlow", module=__name__, process_class=ToyProcess)
