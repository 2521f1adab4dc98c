"""Static files: hashed and compressed from the web process in production (whitenoise), and
straight from the apps in development and in the tests, with no collectstatic."""

import gzip
import re

import pytest

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def production_static(settings, collected_static):
    """Settings as under DJANGO_DEBUG=false, serving the files the release step collected."""
    settings.DEBUG = False
    settings.STORAGES = PRODUCTION_STORAGES
    settings.STATIC_ROOT = collected_static
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False


def stylesheet_urls(page):
    return re.findall(r'href="(/static/admin/css/[^"]+\.css)"', page)


def test_with_debug_off_the_admin_stylesheet_is_served_hashed_and_compressed(
        client, production_static):
    login = client.get("/admin/login/")
    [base] = [u for u in stylesheet_urls(login.content.decode()) if "/base." in u]
    assert re.fullmatch(r"/static/admin/css/base\.[0-9a-f]{12}\.css", base)

    response = client.get(base, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    css = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert "body" in css and "--primary" in css


def test_with_debug_off_a_file_that_was_not_collected_is_not_found(client, production_static):
    assert client.get("/static/admin/css/no-such-file.css").status_code == 404


def test_in_development_and_tests_the_apps_files_are_served_without_collectstatic(client):
    # settings as the suite has them: DJANGO_DEBUG unset, nothing collected.
    login = client.get("/admin/login/")
    [base] = [u for u in stylesheet_urls(login.content.decode()) if "/base." in u]
    assert base == "/static/admin/css/base.css"

    response = client.get(base)

    assert response.status_code == 200
    assert "body" in b"".join(response.streaming_content).decode()
