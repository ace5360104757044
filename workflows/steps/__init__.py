"""Steps and decisions: a process declares its steps once
(`workflows.steps.declaration`); the engine derives from that declaration
the viewflow flow (`flows`), the allowed state changes (`transitions`), the
one decision service (`decisions.decide`), the inbox (`inbox`) and the
deadlines (`deadlines`)."""
