"""System checks of the project's own settings (`manage.py check --deploy`)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Tags, Warning, register

MANIFEST = "staticfiles.json"


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs=None, **kwargs):
    """With DEBUG off, the hashed static files must be collected, or every page answers 500
    (the manifest storage refuses to name a file it does not know)."""
    if settings.DEBUG:
        return []
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if "Manifest" not in backend:
        return []
    root = Path(settings.STATIC_ROOT) if settings.STATIC_ROOT else None
    if root is None or not (root / MANIFEST).is_file():
        return [Warning(
            f"Static files are not collected in {root}: the admin cannot render.",
            hint="Run `python manage.py collectstatic --no-input` (make serve and the release "
                 "step do), or point DJANGO_STATIC_ROOT at the collected files.",
            id="dialpad_console.W001",
        )]
    return []
