"""Sign-ins and sign-outs into the security audit trail, from Django's auth signals.

Connected in ``TownadminConfig.ready()``. They listen to the signals rather than
wrapping the login view so that every way in (the login page, the admin's login,
the API's session login) is recorded the same way.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from townadmin.audit import record_security_event
from townadmin.models.audit import SecurityEvent


def record_login(sender, request, user, **kwargs):
    record_security_event(kind=SecurityEvent.Kind.LOGIN, request=request, user=user)


def record_logout(sender, request, user, **kwargs):
    # Django sends the signal for an anonymous logout too; there is nobody to record.
    if user is not None:
        record_security_event(kind=SecurityEvent.Kind.LOGOUT, request=request, user=user)


def record_login_failure(sender, credentials, request=None, **kwargs):
    """Record the name as typed, and the account when one has that name.

    Unknown names are recorded as well: guessing names is what an attack looks like.
    ``credentials`` comes with the password already removed by Django.
    """
    user_model = get_user_model()
    username = str(credentials.get(user_model.USERNAME_FIELD, "") or "")[:150]
    user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    record_security_event(
        kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, user=user, username=username
    )


def connect():
    user_logged_in.connect(record_login, dispatch_uid="townadmin.audit.login")
    user_logged_out.connect(record_logout, dispatch_uid="townadmin.audit.logout")
    user_login_failed.connect(record_login_failure, dispatch_uid="townadmin.audit.login_failed")
