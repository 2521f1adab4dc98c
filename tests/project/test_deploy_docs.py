"""The deployment guide, .env.example and the code agree: every variable the console reads is
documented in both; the Procfile and the systemd units run the same commands."""

import re
import shlex
from pathlib import Path

from tests.project.production import manage

ROOT = Path(__file__).resolve().parents[2]
# Where the console reads its settings from the environment: the settings, gunicorn's config,
# the launchers (make run, make serve), management commands, and the Procfile's commands.
SOURCES = [
    ROOT / "dialpad_console" / "settings.py",
    ROOT / "dialpad_console" / "gunicorn.conf.py",
    *sorted((ROOT / "dialpad_console" / "management" / "commands").glob("*.py")),
    *sorted((ROOT / "scripts").glob("*.py")),
    ROOT / "Procfile",
]
# Read from the environment, but not settings of the console.
NOT_SETTINGS = {"PATH", "DJANGO_SETTINGS_MODULE"}

ENV_READ = re.compile(
    # env.str("NAME", ...), _secret("NAME"), os.environ.get("NAME"), ...; or ${NAME in a shell
    r"(?:\b(?:env|environ|Env\(\))\.(?:str|bool|int|float|list|json|db|get|setdefault)"
    r"|\b(?:getenv|_secret|_int))\(\s*[\"']([A-Z][A-Z0-9_]{2,})[\"']|\$\{([A-Z][A-Z0-9_]{2,})"
)


def names_read_by_the_code():
    names = set()
    for path in SOURCES:
        names.update(m.group(1) or m.group(2) for m in ENV_READ.finditer(path.read_text()))
    return names - NOT_SETTINGS


def names_in_env_example():
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {m.group(1) for line in lines if (m := re.match(r"^(?:# )?([A-Z][A-Z0-9_]+)=", line))}


def names_in_the_guides_table():
    text = (ROOT / "docs" / "deploy.md").read_text()
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`",
                                                         row.split("|")[1])}


def test_the_scan_finds_the_settings_it_should():
    # Guards the scan itself: one name read each way (env.str, _secret, env.int in gunicorn's
    # config, os.environ.get in a launcher, ${...} in the Procfile).
    assert {"DJANGO_TIME_ZONE", "DIALPAD_API_KEY", "GUNICORN_WORKERS", "DIALPAD_SIM_PORT",
            "CONSOLE_ADDR", "DJANGO_LOG_LEVEL", "DEMO_ADMIN_PASSWORD"} <= names_read_by_the_code()


def test_every_variable_the_code_reads_is_in_env_example_and_nothing_else():
    assert names_in_env_example() == names_read_by_the_code()


def test_every_variable_the_code_reads_is_in_the_guides_one_table_and_nothing_else():
    assert names_in_the_guides_table() == names_read_by_the_code()


def test_env_example_as_it_is_gives_a_console_that_starts(tmp_path):
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if re.match(r"^[A-Z][A-Z0-9_]+=", line):
            name, value = line.split("=", 1)
            values[name] = value
    values["DIALPAD_CONSOLE_VAR_DIR"] = str(tmp_path)

    result = manage("check", env_overrides=values)

    assert result.returncode == 0, result.stderr


def procfile():
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries[name] = command.strip()
    return entries


def unit_commands(name):
    text = (ROOT / "deploy" / "systemd" / f"dialpad-console-{name}.service").read_text()
    commands = re.findall(r"^ExecStart=(.+)$", text, re.M)
    venv_python = "/opt/dialpad-console/.venv/bin/python"
    return [command.replace(venv_python, "python") for command in commands]


def normalised(command):
    # systemd has no ${NAME:-default}: its units set the default with Environment= instead.
    return shlex.split(re.sub(r"\$\{(\w+):-[^}]*\}", r"${\1}", command))


def test_the_systemd_units_run_the_procfiles_commands():
    entries = procfile()
    assert set(entries) == {"release", "web", "worker", "beat"}
    for name in ("web", "worker", "beat"):
        [command] = unit_commands(name)
        assert normalised(command) == normalised(entries[name]), name
    release = [normalised(c) for c in entries["release"].split("&&")]
    assert [normalised(c) for c in unit_commands("release")] == release
