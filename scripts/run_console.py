"""`make run`: the whole console on one machine, with embedded defaults.

Starts, in order: the Dialpad simulator with the demo org (only when DIALPAD_API_KEY is not
set), database migrations, the demo superuser, a first sync, the console's webhook registered
with the simulator (so that its events update the demo live), a Celery worker, Celery beat
and the web server on 127.0.0.1:8000. Ctrl-C stops everything it started.
"""

import os
import secrets
import subprocess
import sys
import time

from launcher import ROOT, Launcher, stop_on_signals

sys.path.insert(0, str(ROOT))
PY = sys.executable
SIM_PORT = int(os.environ.get("DIALPAD_SIM_PORT", "8765"))
WEB_ADDR = os.environ.get("CONSOLE_ADDR", "127.0.0.1:8000")

launcher = Launcher("make run")
log, start = launcher.log, launcher.start


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main():
    try:
        run()
    except KeyboardInterrupt:
        pass
    finally:
        launcher.stop_all()


def run():
    env = dict(os.environ)
    env.setdefault("DJANGO_DEBUG", "true")
    (ROOT / "var").mkdir(exist_ok=True)
    using_simulator = not env.get("DIALPAD_API_KEY")
    if using_simulator and not any(name in env for name in (
            "DIALPAD_WEBHOOK_SECRET", "DIALPAD_WEBHOOK_SECRET_FILE")):
        # The console's processes read it from the environment; the simulator learns it when
        # the webhook is set up through its API (dialpad_webhooks ensure, below).
        env["DIALPAD_WEBHOOK_SECRET"] = secrets.token_urlsafe(32)

    if using_simulator:
        sim_key = "sim-key"
        start(
            "Dialpad simulator (demo org)",
            [PY, "-m", "dialpad_sim", "serve", "--port", str(SIM_PORT), "--api-key", sim_key],
            env,
        )
        from dialpad_sim.server import wait_until_ready

        wait_until_ready(f"http://127.0.0.1:{SIM_PORT}", timeout=30)
        env["DIALPAD_API_KEY"] = sim_key
        env["DIALPAD_BASE_URL"] = f"http://127.0.0.1:{SIM_PORT}"
        log(f"no DIALPAD_API_KEY set: using the simulator at {env['DIALPAD_BASE_URL']}")
    else:
        log(f"using Dialpad at {env.get('DIALPAD_BASE_URL', 'https://dialpad.com')}")

    manage(env, "migrate", "--no-input", "-v", "0")

    password = env.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    manage({**env, "DEMO_ADMIN_PASSWORD": password}, "ensure_demo_admin", "--username", "admin")

    log("first sync of the org (python manage.py sync_org)")
    subprocess.run([PY, "manage.py", "sync_org"], cwd=ROOT, env=env, check=False)
    if using_simulator:
        register_webhook(env)

    start("Celery worker", [PY, "-m", "celery", "-A", "dialpad_console", "worker",
                            "--loglevel=INFO", "--concurrency=2"], env)
    start("Celery beat", [PY, "-m", "celery", "-A", "dialpad_console", "beat", "--loglevel=INFO"], env)
    web = start("web server", [PY, "manage.py", "runserver", WEB_ADDR, "--noreload"], env)
    time.sleep(3)  # let the worker's and server's banners pass, so this one is the last seen
    log("")
    log(f"Dialpad Console is up: http://{WEB_ADDR}/admin/")
    log(f"Log in as: admin / {password}")
    log("(set DEMO_ADMIN_PASSWORD to choose the password; Ctrl-C stops everything)")
    if using_simulator:
        log("Change a user as another admin would in Dialpad's portal, and watch the console")
        log("follow within a second (the user's page and History):")
        log(f"  curl -X POST http://127.0.0.1:{SIM_PORT}/_sim/outside/rename_user "
            f"-H 'Authorization: Bearer sim-key' -d '{{\"user_id\": {a_user_id(env)}, "
            f"\"first_name\": \"Ada\"}}'")
    log("")
    while web.poll() is None:
        for name, returncode in launcher.exited():
            log(f"{name} exited with status {returncode}")
        time.sleep(1)


def a_user_id(env):
    """A user of the simulated org, for the example command."""
    import json
    import urllib.request

    request = urllib.request.Request(f"{env['DIALPAD_BASE_URL']}/api/v2/users",
                                     headers={"Authorization": f"Bearer {env['DIALPAD_API_KEY']}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.load(answer)["items"][0]["id"]
    except (OSError, ValueError, KeyError, IndexError):
        return "<user id>"


def register_webhook(env):
    """Point the simulator's events at this console's receiver, as an admin would point
    Dialpad's at a deployed one."""
    url = f"http://{WEB_ADDR}/webhooks/dialpad/"
    log(f"registering the console's webhook with the simulator ({url})")
    subprocess.run([PY, "manage.py", "dialpad_webhooks", "ensure", "--url", url], cwd=ROOT,
                   env=env, check=False)


if __name__ == "__main__":
    stop_on_signals()
    main()
