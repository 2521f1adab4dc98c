"""Production settings: `check --deploy` is clean, and a missing variable fails loudly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "console.example.com",
    "DIALPAD_API_KEY": "sk-test-SECRET-settings",
}


def manage(*args, env_overrides, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("DJANGO_")}
    env.update(env_overrides)
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_prints_no_warning_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_missing_required_variable_in_production_fails_naming_it():
    overrides = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env_overrides=overrides, drop=("DJANGO_SECRET_KEY",))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_secret_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(PRODUCTION["DJANGO_SECRET_KEY"] + "\n")
    overrides = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    overrides["DJANGO_SECRET_KEY_FILE"] = str(key_file)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=overrides)
    assert result.returncode == 0, result.stderr


def test_a_bad_rate_limit_value_fails_at_start_up():
    result = manage("check", env_overrides={"DIALPAD_RATE_LIMIT_PER_MINUTE": "lots"})
    assert result.returncode != 0
    assert "DIALPAD_RATE_LIMIT_PER_MINUTE" in result.stderr
