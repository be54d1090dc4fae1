from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from townadmin.health import healthz
from townadmin.login_security import LoginView
from townadmin.views import HomeView
from townadmin.views_inbox import InboxView, inbox_message_read, inbox_read_all
from townadmin.views_org import OrganisationView, WorkbenchView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workbench/", WorkbenchView.as_view(), name="workbench"),
    path("towns/<str:code>/organisation/", OrganisationView.as_view(), name="town-organisation"),
    path("inbox/", InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/read/", inbox_message_read, name="inbox-read"),
    path("inbox/read-all/", inbox_read_all, name="inbox-read-all"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("powers.urls")),
    path("", include("servicecenter.urls")),
    path("api/v1/", include("townadmin.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
