"""The public side of the hall (no login): guides, online pre-submission, status lookup
and rating, complaints; and the staff pages that follow ratings and complaints up."""

from django.urls import path

from servicecenter import views_public, views_rectification

urlpatterns = [
    path(
        "towns/<str:code>/services/", views_public.ServiceListView.as_view(), name="public-services"
    ),
    path(
        "towns/<str:code>/services/<str:item_code>/",
        views_public.ServiceGuideView.as_view(),
        name="public-service",
    ),
    path(
        "towns/<str:code>/services/<str:item_code>/apply/",
        views_public.apply,
        name="public-apply",
    ),
    path("towns/<str:code>/complaints/new/", views_public.complaint, name="public-complaint"),
    path("services/status/", views_public.status, name="public-status"),
    path("services/status/rating/", views_public.rate, name="public-rate"),
    path("services/status/forget/", views_public.forget, name="public-status-forget"),
    path(
        "hall/rectifications/",
        views_rectification.RectificationListView.as_view(),
        name="rectifications",
    ),
    path(
        "hall/rectifications/<int:pk>/",
        views_rectification.rectification_detail,
        name="rectification",
    ),
    path(
        "hall/rectifications/<int:pk>/<slug:step>/",
        views_rectification.rectification_step,
        name="rectification-step",
    ),
    path(
        "review/rating-appeals/",
        views_rectification.RatingAppealListView.as_view(),
        name="rating-appeals",
    ),
    path("hall/complaints/", views_rectification.ComplaintListView.as_view(), name="complaints"),
    path(
        "hall/complaints/<int:pk>/answer/",
        views_rectification.complaint_answer,
        name="complaint-answer",
    ),
]
