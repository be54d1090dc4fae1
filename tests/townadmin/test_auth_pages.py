import pytest

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_chinese_by_default(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_a_wrong_password_shows_a_localized_error_and_signs_nobody_in(client, demo_data):
    response = client.post("/accounts/login/", {"username": "admin", "password": "wrong"})

    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_demo_user_logs_in_and_lands_on_the_workbench(client, demo_data, demo_password):
    response = client.post("/accounts/login/", {"username": "admin", "password": demo_password})

    assert response.status_code == 302
    assert response["Location"] == "/workbench/"
    assert client.session["_auth_user_id"]


def test_logging_out_needs_a_post_and_ends_the_session(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_switching_to_english_translates_the_page(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    content = client.get("/").content.decode()

    assert '<html lang="en">' in content
    assert ">Home</a>" in content


def test_the_portal_name_is_chinese_by_default(client):
    assert "镇级权力运行管理平台" in client.get("/").content.decode()
