"""The May Day nomination's viewflow flow, built from its declaration
(awards/mayday/declaration.py): one node per step, routing by state."""

from awards.mayday.declaration import MAYDAY
from awards.mayday.models import NominationProcess
from workflows.steps.flows import build_flow

MayDayFlow = build_flow(MAYDAY, name="MayDayFlow", module=__name__, process_class=NominationProcess)
