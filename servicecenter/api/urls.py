"""The service hall's API under /api/v1/: staff applications and the public side."""

from servicecenter.api import applications, public, ratings

urlpatterns = [*applications.urlpatterns, *public.urlpatterns, *ratings.urlpatterns]
