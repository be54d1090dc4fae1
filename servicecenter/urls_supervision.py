"""E-supervision and statistics pages (namespace "servicecenter"): the staff pages under
/hall/, the public figures beside the town's guides.

Listed before the public URLs (see ``servicecenter.urls``), so "statistics" is never read
as a service item code.
"""

from django.urls import path

from servicecenter import views_supervision

urlpatterns = [
    path("hall/supervision/", views_supervision.supervision, name="supervision"),
    path("hall/statistics/", views_supervision.statistics_page, name="statistics"),
    path(
        "towns/<str:code>/services/statistics/",
        views_supervision.public_statistics,
        name="public-statistics",
    ),
]
