"""The layers, by what each package imports: the engine (workflows/) names
no process, so it imports none, nor the demo, nor the secret-ballot parts
beside it (ballots/); those import the engine and no process."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.demo.test_demo_apart import _imports

ABOVE = {"workflows": ("awards", "evaluations", "demo", "ballots"), "ballots": ("awards", "evaluations", "demo")}


@pytest.mark.parametrize("package", sorted(ABOVE))
def test_a_lower_layer_imports_nothing_above_it(package):
    offenders = []
    for path in (Path(settings.BASE_DIR) / package).rglob("*.py"):
        offenders += [f"{path.relative_to(settings.BASE_DIR)}: {name}" for name in _imports(path)
                      if name.split(".")[0] in ABOVE[package]]
    assert offenders == []
