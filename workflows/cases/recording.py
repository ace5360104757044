"""What a process's hook records on its case beside the state (a count, a
time): written to the row with an UPDATE (the decision holds the row's
lock, and the version the engine bumps is left alone) and set on the
instance the decision goes on with."""


def record_on(case, **values):
    type(case).objects.filter(pk=case.pk).update(**values)
    for name, value in values.items():
        setattr(case, name, value)
