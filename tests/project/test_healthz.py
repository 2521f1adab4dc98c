"""/healthz: the process answers; nothing else is touched."""

from django.urls import reverse


def test_it_answers_ok_without_login_or_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_answers_for_any_host_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["console.example.com"]

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200


def test_other_pages_still_check_the_host_and_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["console.example.com"]

    assert client.get("/admin/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    response = client.get("/admin/login/", HTTP_HOST="console.example.com")
    assert response.status_code == 301
    assert response["Location"].startswith("https://console.example.com/")


def test_it_has_a_url_name_and_refuses_a_post(client):
    assert reverse("healthz") == "/healthz"
    assert client.post("/healthz").status_code == 405
