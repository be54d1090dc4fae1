"""HTML pages of the powers app. The public portal needs no login."""

from django.urls import path, re_path

from powers import views_import, views_public, views_review

app_name = "powers"

urlpatterns = [
    path("towns/", views_public.TownIndexView.as_view(), name="towns"),
    path("towns/<str:code>/", views_public.TownView.as_view(), name="town"),
    path("towns/<str:code>/lists/", views_public.TownListView.as_view(), name="town-lists"),
    re_path(
        r"^towns/(?P<code>[^/]+)/lists\.(?P<fmt>xlsx|csv)$", views_public.download, name="download"
    ),
    path(
        "towns/<str:code>/lists/<str:entry_code>/", views_public.EntryView.as_view(), name="entry"
    ),
    path(
        "towns/<str:code>/versions/",
        views_public.VersionHistoryView.as_view(),
        name="versions",
    ),
    path("towns/<str:code>/versions/compare/", views_public.compare, name="version-compare"),
    path(
        "towns/<str:code>/versions/<int:a>/diff/<int:b>/",
        views_public.VersionDiffView.as_view(),
        name="version-diff",
    ),
    path("review/import/", views_import.ImportStartView.as_view(), name="import-start"),
    path(
        "review/towns/<str:code>/import/",
        views_import.ImportUploadView.as_view(),
        name="import-upload",
    ),
    path(
        "review/towns/<str:code>/import/preview/",
        views_import.ImportPreviewView.as_view(),
        name="import-preview",
    ),
    path("review/", views_review.ReviewQueueView.as_view(), name="review-queue"),
    path("review/waiting/", views_review.waiting_for_me, name="review-waiting"),
    path(
        "review/adjustments/",
        views_review.AdjustmentListView.as_view(),
        name="adjustment-list",
    ),
    path(
        "review/adjustments/<int:pk>/",
        views_review.adjustment_detail,
        name="adjustment-detail",
    ),
    path(
        "review/adjustments/<int:pk>/items/",
        views_review.adjustment_item_add,
        name="adjustment-item-add",
    ),
    path(
        "review/adjustments/<int:pk>/items/<int:item_pk>/remove/",
        views_review.adjustment_item_remove,
        name="adjustment-item-remove",
    ),
    path(
        "review/adjustments/<int:pk>/<slug:step>/",
        views_review.adjustment_step,
        name="adjustment-step",
    ),
]
