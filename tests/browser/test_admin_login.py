import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_logs_in_and_sees_the_console(admin_login):
    get_user_model().objects.create_superuser("root", "root@example.com", "a-long-password-1")
    page = admin_login("root", "a-long-password-1")
    assert "Dialpad" in page.inner_text("#site-name")


def test_a_wrong_password_is_refused_on_the_login_page(page, live_server):
    get_user_model().objects.create_superuser("root", "root@example.com", "a-long-password-1")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "wrong-password")
    page.click("input[type=submit]")
    assert "Please enter the correct username and password" in page.inner_text(".errornote")
