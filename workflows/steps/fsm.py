"""The declared moves as django-fsm transitions.

A case's `state` is a protected FSMField: nothing may assign it. The moves
a process declares (its steps' decisions, its transitions) become, when the
process is registered, one django-fsm transition method per target state on
the case's model, `move_to_<target>`, whose sources are the states the
declaration lets a case reach that target from. The engine's one state
change (`workflows.steps.decisions.move`) calls that method, so django-fsm
itself checks the source, changes the state and sends its
`pre_transition`/`post_transition` signals (name: the method's name; the
decision's or transition's code in `method_kwargs["code"]`); an undeclared
move raises django-fsm's TransitionNotAllowed.

One method per target, not one generic method returning its target: with a
fixed target django-fsm's `pre_transition` names the state the case moves
to (with `RETURN_VALUE` it would send the State object, the target being
known only once the method has run), and the declared sources are
django-fsm's own sources, checked before any signal is sent.
"""

from collections import defaultdict

from django_fsm import transition

STATE_FIELD = "state"
METHOD_PREFIX = "move_to_"
_INSTALLED_ATTR = "_declared_moves"


def method_name(target):
    """The transition method that moves a case to `target`."""
    name = "".join(c if c.isalnum() else "_" for c in str(target))
    return f"{METHOD_PREFIX}{name}"


def sources_by_target(process):
    """{target: sorted sources}, every move the declaration allows."""
    moves = defaultdict(set)
    for source, target in process.allowed():
        moves[str(target)].add(str(source))
    return {target: sorted(sources) for target, sources in moves.items()}


def _make_move(model, name, target, sources, field):
    def move(self, code=""):
        # The state change itself is django-fsm's (set_state after this
        # returns); the engine's service writes audit, version and tasks.
        return None

    move.__name__ = name
    move.__qualname__ = f"{model.__name__}.{name}"
    move.__doc__ = f"Move the case to {target!r} (from {', '.join(sources)}), as declared."
    return transition(field=field, source=sources, target=target)(move)


def install(process):
    """Give the process's case model one transition per declared target.
    Called when the process is registered; registering a process again on
    the same model (a test's variant) replaces the previous moves, so the
    model allows exactly what the declaration now says."""
    model = process.get_model()
    field = model._meta.get_field(STATE_FIELD)
    per_model = field.transitions.setdefault(model, {})
    for old in model.__dict__.get(_INSTALLED_ATTR, {}).values():
        if old in model.__dict__:
            delattr(model, old)
        per_model.pop(old, None)
    installed = {}
    for target, sources in sources_by_target(process).items():
        name = method_name(target)
        method = _make_move(model, name, target, sources, field)
        setattr(model, name, method)
        # django-fsm collected the model's transitions when the class was
        # prepared; added later, they are listed here so that its
        # get_all_state_transitions()/get_available_state_transitions() see them.
        per_model[name] = method
        installed[target] = name
    setattr(model, _INSTALLED_ATTR, installed)


def transition_method(case, target):
    """The bound transition method moving `case` to `target`, or None when
    the declaration leads no case there."""
    name = type(case).__dict__.get(_INSTALLED_ATTR, {}).get(str(target))
    return getattr(case, name) if name else None
