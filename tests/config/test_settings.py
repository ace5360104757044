"""The settings fail closed: a production configuration unless told
otherwise, refusing to start without a real SECRET_KEY and ALLOWED_HOSTS."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def manage(tmp_path, *args, **env):
    """Run manage.py in a clean environment: only what the test gives."""
    clean = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def a_secret():
    return secrets.token_urlsafe(50)


def test_check_fails_naming_the_secret_key_when_nothing_is_set(tmp_path):
    result = manage(tmp_path, "check")
    assert result.returncode != 0
    assert "unionflow.E001" in result.stderr and "SECRET_KEY is not set" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_deploy_check_passes_with_secret_hosts_and_redis_only(tmp_path):
    result = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=a_secret(), ALLOWED_HOSTS="unionflow.example.org", REDIS_URL="redis://127.0.0.1:6379/1",
        SITE_URL="https://unionflow.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_names_what_is_missing(tmp_path):
    weak = manage(tmp_path, "check", SECRET_KEY="changeme", ALLOWED_HOSTS="unionflow.example.org")
    assert weak.returncode != 0 and "SECRET_KEY is too weak" in weak.stderr
    no_hosts = manage(tmp_path, "check", SECRET_KEY=a_secret(), ALLOWED_HOSTS="*")
    assert no_hosts.returncode != 0 and "unionflow.E002" in no_hosts.stderr
    no_redis = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=a_secret(), ALLOWED_HOSTS="unionflow.example.org", SITE_URL="https://unionflow.example.org",
    )
    assert no_redis.returncode != 0 and "REDIS_URL" in no_redis.stderr


def test_debug_alone_does_not_switch_production_off(tmp_path):
    """issue 20: DEBUG=1 with no UNIONFLOW_ENV and no SECRET_KEY used to turn
    every safeguard off. Now it is refused, naming SECRET_KEY and DEBUG."""
    result = manage(tmp_path, "check", DEBUG="1")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr and "unionflow.E004" in result.stderr
    # A real key and hosts do not make DEBUG acceptable on a server.
    keyed = manage(tmp_path, "check", DEBUG="1", SECRET_KEY=a_secret(), ALLOWED_HOSTS="unionflow.example.org")
    assert keyed.returncode != 0 and "unionflow.E004" in keyed.stderr and "SECRET_KEY" not in keyed.stderr
    # Nor is it honoured meanwhile (a command that runs no checks still sees production).
    shown = manage(
        tmp_path, "shell", "-v", "0", "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0)",
        DEBUG="1", SECRET_KEY=a_secret(), ALLOWED_HOSTS="unionflow.example.org",
    )
    assert shown.stdout.strip().splitlines()[-1] == "False True True", shown.stderr


def test_the_wsgi_app_refuses_to_start_with_debug_outside_development(tmp_path):
    clean = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), "ALLOWED_HOSTS": "unionflow.example.org",
             "SECRET_KEY": a_secret(), "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "unionflow.E004" in result.stderr


def test_debug_is_honoured_in_development(tmp_path):
    result = manage(
        tmp_path, "shell", "-v", "0", "-c", "from django.conf import settings; print(settings.DEBUG)",
        UNIONFLOW_ENV="development", SECRET_KEY=a_secret(), DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_development_configuration_runs_with_a_key_file_and_debug_off(tmp_path):
    key_file = tmp_path / "dev-secret-key"
    key_file.write_text(a_secret())
    result = manage(
        tmp_path, "shell", "-v", "0", "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.SECURE_SSL_REDIRECT)",
        UNIONFLOW_ENV="development", SECRET_KEY_FILE=str(key_file),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['127.0.0.1', 'localhost', '[::1]'] False"


def test_the_wsgi_app_refuses_to_start_without_a_secret(tmp_path):
    clean = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), "ALLOWED_HOSTS": "unionflow.example.org"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_seed_demo_refuses_a_production_configuration(db, settings):
    from django.contrib.auth import get_user_model

    settings.DEVELOPMENT = False
    with pytest.raises(CommandError, match="--i-know-this-is-production"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="qz_admin").exists()



def test_production_requires_the_site_address(tmp_path):
    """Links in QR codes and messages use SITE_URL: never guessed in production."""
    ready = dict(SECRET_KEY=a_secret(), ALLOWED_HOSTS="unionflow.example.org")
    missing = manage(tmp_path, "check", **ready)
    assert missing.returncode != 0 and "unionflow.E005" in missing.stderr and "SITE_URL" in missing.stderr
    wrong = manage(tmp_path, "check", SITE_URL="unionflow.example.org", **ready)
    assert wrong.returncode != 0 and "unionflow.E005" in wrong.stderr
    assert manage(tmp_path, "check", SITE_URL="https://unionflow.example.org", **ready).returncode == 0


def test_make_run_links_follow_the_port(tmp_path):
    """`make run PORT=8101`: the server, the worker and the scheduler all
    print links to :8101 (QR codes, slips, e-mail)."""
    planned = subprocess.run(["make", "-n", "run", "PORT=8101"], cwd=ROOT, capture_output=True, text=True,
                             timeout=120).stdout
    for command in ("runserver 127.0.0.1:8101", "db_worker", "run_scheduler"):
        line = next(line for line in planned.splitlines() if command in line)
        assert "SITE_URL=http://127.0.0.1:8101" in line, line
    shown = manage(tmp_path, "shell", "-v", "0", "-c", "from django.conf import settings; print(settings.SITE_URL)",
                   UNIONFLOW_ENV="development", SECRET_KEY=a_secret(), SITE_URL="http://127.0.0.1:8101")
    assert shown.stdout.strip() == "http://127.0.0.1:8101", shown.stderr


def test_the_wsgi_app_leaves_what_it_loaded_at_start_out_of_full_collections(tmp_path):
    """A worker's full garbage collections walk only what its requests made,
    not the ~150,000 objects of Django, the apps and the URLconf (frozen by
    config.wsgi: a full collection cost some 90 ms of CPU of whichever
    request set it off, the inbox's tail under load)."""
    clean = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), "UNIONFLOW_ENV": "development",
             "SECRET_KEY": a_secret()}
    code = ("import gc, sys, config.wsgi; "
            "print(gc.get_freeze_count(), len(gc.get_objects()), 'workflows.steps.views' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    frozen, tracked, views_loaded = result.stdout.split()
    assert int(frozen) > 50_000 and int(tracked) < 5_000 and views_loaded == "True", result.stdout
