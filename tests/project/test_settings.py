"""Production settings: `check --deploy` is clean, and a missing variable fails loudly."""

from tests.project.production import PRODUCTION, manage


def test_check_deploy_prints_no_warning_under_production_settings(collected_static):
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    env_overrides={**PRODUCTION, "DJANGO_STATIC_ROOT": str(collected_static)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_the_static_files_are_not_collected(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    env_overrides={**PRODUCTION, "DJANGO_STATIC_ROOT": str(tmp_path)})
    assert result.returncode != 0
    assert "dialpad_console.W001" in result.stderr + result.stdout
    assert "collectstatic" in result.stderr + result.stdout


def test_a_missing_required_variable_in_production_fails_naming_it():
    overrides = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env_overrides=overrides, drop=("DJANGO_SECRET_KEY",))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_secret_can_come_from_a_file(tmp_path, collected_static):
    key_file = tmp_path / "key"
    key_file.write_text(PRODUCTION["DJANGO_SECRET_KEY"] + "\n")
    overrides = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    overrides["DJANGO_SECRET_KEY_FILE"] = str(key_file)
    overrides["DJANGO_STATIC_ROOT"] = str(collected_static)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=overrides)
    assert result.returncode == 0, result.stderr


def test_a_bad_rate_limit_value_fails_at_start_up():
    result = manage("check", env_overrides={"DIALPAD_RATE_LIMIT_PER_MINUTE": "lots"})
    assert result.returncode != 0
    assert "DIALPAD_RATE_LIMIT_PER_MINUTE" in result.stderr


def test_a_bad_log_format_fails_at_start_up():
    result = manage("check", env_overrides={"DJANGO_LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be one of plain, json" in result.stderr


def test_production_keeps_database_connections_and_checks_them_before_reuse():
    script = ("from django.conf import settings; d = settings.DATABASES['default']; "
              "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])")
    postgres = {**PRODUCTION, "DATABASE_URL": "postgres://console@db.example.com/console"}

    assert manage("shell", "-v", "0", "-c", script, env_overrides=postgres).stdout.split() == ["60", "True"]
    tuned = {**postgres, "DJANGO_CONN_MAX_AGE": "300"}
    assert manage("shell", "-v", "0", "-c", script, env_overrides=tuned).stdout.split() == ["300", "True"]
