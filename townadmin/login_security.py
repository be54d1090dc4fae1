"""Login security (等保三级): the lockout answer and the login page that explains the rules.

django-axes counts failures and refuses a locked-out username (settings: LOGIN_*).
What the person at the keyboard sees must not tell an account that exists from one
that does not, nor a locked account from a wrong password: both get the ordinary
login page with its "enter a correct username and password" error, and the API token
endpoint its ordinary 400. The page states the rule once for everyone, so a user whose
right password is refused knows to wait.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: answer a locked-out attempt exactly like a wrong password.

    The login view (or the token endpoint) already answered with its invalid-login
    error, because axes made ``authenticate()`` return None; that answer is kept.
    """
    if original_response is not None:
        return original_response
    # Only reached from axes' decorators, which this project does not use: render
    # the page as a failed login would (authenticate() is refused again, uncounted).
    form = AuthenticationForm(request, data=request.POST or None)
    form.is_valid()
    return render(request, "registration/login.html", {"form": form}, status=200)


class LoginView(auth_views.LoginView):
    """Django's login view, with the lockout rule shown on the page."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            failure_limit=settings.AXES_FAILURE_LIMIT,
            lockout_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            **kwargs,
        )
