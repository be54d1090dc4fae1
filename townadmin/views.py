from django.views.generic import TemplateView


class HomeView(TemplateView):
    """The public front page: what the portal is and what a citizen can read here."""

    template_name = "townadmin/home.html"
