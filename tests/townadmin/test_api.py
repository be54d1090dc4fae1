import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_valid_and_has_no_warnings(tmp_path):
    schema = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    assert schema.read_text().startswith("openapi: 3.")


def test_the_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()  # Swagger UI comes from our static files


def test_a_token_is_issued_for_a_correct_username_and_password(
    api_client, demo_data, demo_password
):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "admin", "password": demo_password}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user__username="admin").key}


def test_no_token_is_issued_for_a_wrong_password(api_client, demo_data):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "admin", "password": "wrong"}, format="json"
    )

    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.exists()


def test_the_token_error_is_in_chinese_by_default_and_english_on_request(api_client, demo_data):
    payload = {"username": "admin", "password": "wrong"}

    chinese = api_client.post("/api/v1/auth/token/", payload, format="json")
    english = api_client.post(
        "/api/v1/auth/token/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert chinese.json()["non_field_errors"] == ["无法使用提供的认证信息登录。"]
    assert english.json()["non_field_errors"] == ["Unable to log in with provided credentials."]


def test_the_api_root_answers_a_token_and_refuses_without_one(api_client, demo_data, demo_password):
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "admin", "password": demo_password}, format="json"
    ).json()["token"]

    assert api_client.get("/api/v1/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/").status_code == 200
