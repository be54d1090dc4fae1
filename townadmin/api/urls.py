"""The /api/v1/ router. Each app adds its viewsets here as it grows."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from townadmin.api.views import ObtainTokenView

router = DefaultRouter()

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
]
