"""HTML pages of the service hall: the window and back office under /hall/, the public
guides, status lookup, ratings and complaints under /towns/ and /services/."""

from servicecenter import urls_hall, urls_public, urls_supervision

app_name = "servicecenter"

urlpatterns = [*urls_hall.urlpatterns, *urls_supervision.urlpatterns, *urls_public.urlpatterns]
