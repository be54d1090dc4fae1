"""The powers app's API under /api/v1/: the public lists (no login) and staff endpoints."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from powers.api import public, staff

staff_router = SimpleRouter()
staff_router.register("powers/catalogue", staff.CatalogueViewSet, basename="power-catalogue")
staff_router.register("powers/register", staff.RegisterViewSet, basename="power-register")
staff_router.register("powers/adjustments", staff.AdjustmentViewSet, basename="power-adjustment")

urlpatterns = [
    path("public/towns/", public.PublicTownList.as_view(), name="public-towns"),
    path(
        "public/towns/<str:code>/powers/",
        public.PublicPowerList.as_view(),
        name="public-powers",
    ),
    path(
        "public/towns/<str:code>/powers/<str:entry_code>/",
        public.PublicPowerDetail.as_view(),
        name="public-power",
    ),
    path(
        "public/towns/<str:code>/versions/",
        public.PublicVersionList.as_view(),
        name="public-versions",
    ),
    path(
        "public/towns/<str:code>/versions/<int:a>/diff/<int:b>/",
        public.PublicVersionDiff.as_view(),
        name="public-version-diff",
    ),
    *staff_router.urls,
]
