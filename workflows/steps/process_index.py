"""Which process runs which model: the index `registry.register` fills.
A leaf module (it imports nothing of the engine), so a reader the audit
log needs (workflows.history_aliases: a case's declared aliases) finds a
case's process without importing the registry, which imports the log."""

_BY_KEY = {}
_BY_MODEL = {}


def _model_key(model):
    return f"{model._meta.app_label}.{model._meta.object_name}".lower()


def process_for(case_or_model):
    """The declaration of a case (or its model), or None when no process
    runs such cases."""
    model = case_or_model if isinstance(case_or_model, type) else type(case_or_model)
    key = _BY_MODEL.get(_model_key(model))
    return _BY_KEY[key][0] if key else None
