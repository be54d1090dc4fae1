"""The window and back-office pages under /hall/ (namespace "servicecenter")."""

from django.urls import path

from servicecenter import views_hall, views_office, views_window

urlpatterns = [
    path("hall/", views_window.desk, name="hall"),
    path("hall/items/", views_window.item_search, name="hall-item-search"),
    path("hall/new/<int:item_pk>/", views_window.intake, name="hall-intake"),
    path("hall/office/", views_office.OfficeQueueView.as_view(), name="hall-office"),
    path(
        "hall/applications/",
        views_office.ApplicationListView.as_view(),
        name="hall-applications",
    ),
    path(
        "hall/applications/<int:pk>/",
        views_hall.application_detail,
        name="hall-application",
    ),
    path("hall/notices/<int:pk>.pdf", views_hall.notice_pdf, name="hall-notice-pdf"),
    # One URL per step, so each step's form posts to an address that names it.
    *(
        path(
            f"hall/applications/<int:pk>/{verb}/",
            views_hall.application_step,
            {"verb": verb},
            name=f"hall-{verb}",
        )
        for verb in views_hall.STEPS
    ),
]
