"""The viewflow process of a process's cases: a proxy of viewflow's Process
(one table for every process), the case its artifact. Made where the
process declares its models, so migrations know it as that app's model."""


def case_process(name, module, verbose_name, verbose_name_plural):
    """A proxy model `name` of viewflow's Process, defined in `module` (the
    process's models module: `__name__`)."""
    from viewflow.workflow.models import Process

    meta = type("Meta", (), {"proxy": True, "verbose_name": verbose_name, "verbose_name_plural": verbose_name_plural})
    return type(name, (Process,), {"__module__": module, "Meta": meta,
                                   "__doc__": "The viewflow process of a case; the case is its artifact."})
