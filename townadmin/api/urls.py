"""The /api/v1/ router. Each app adds its viewsets here as it grows."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from townadmin.api.calendar import AddWorkdaysView, WorkdaysBetweenView
from townadmin.api.geography import TownViewSet, VillageViewSet
from townadmin.api.me import MeView
from townadmin.api.views import ObtainTokenView

router = DefaultRouter()
router.register("towns", TownViewSet, basename="town")
router.register("villages", VillageViewSet, basename="village")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("calendar/add-workdays/", AddWorkdaysView.as_view(), name="api-add-workdays"),
    path("calendar/workdays-between/", WorkdaysBetweenView.as_view(), name="api-workdays-between"),
    *router.urls,
    path("", include("powers.api.urls")),
    path("", include("servicecenter.api.urls")),
]
