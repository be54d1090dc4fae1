"""How the API answers the exceptions our services raise."""

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from townadmin.workflow import StateConflictError


def answer(exc):
    class Raising(APIView):
        authentication_classes = ()
        permission_classes = ()

        def get(self, request):
            raise exc

    return Raising.as_view()(APIRequestFactory().get("/"))


def test_a_state_conflict_is_a_409_with_the_current_state():
    response = answer(StateConflictError("taken", current={"status": "accepted"}))

    assert response.status_code == 409
    assert response.data == {
        "detail": "taken",
        "code": "state_conflict",
        "current": {"status": "accepted"},
    }


def test_a_validation_error_with_fields_is_a_400_per_field():
    response = answer(ValidationError({"id_number": ["bad check digit"]}))

    assert response.status_code == 400
    assert response.data == {"id_number": ["bad check digit"]}


def test_a_validation_error_without_fields_is_a_400_with_its_messages():
    response = answer(ValidationError("not possible"))

    assert response.status_code == 400
    assert response.data == {"detail": ["not possible"]}


def test_a_permission_denied_is_a_403():
    assert answer(PermissionDenied()).status_code == 403
