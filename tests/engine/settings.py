"""Settings of the engine's own tests: the project's settings without any
process app (no `awards`, no `evaluations`, nor the `demo` of them), plus the toy process the tests
declare. Run with

    .venv/bin/python -m pytest --ds=tests.engine.settings tests/engine
"""

from config.settings import *  # noqa: F401,F403
from config.settings import INSTALLED_APPS as PROJECT_APPS

INSTALLED_APPS = [
    app for app in PROJECT_APPS if not (app.startswith("awards") or app.startswith("evaluations") or app == "demo")
] + ["tests.engine.toy"]

ROOT_URLCONF = "tests.engine.urls"

