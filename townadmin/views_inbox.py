"""My messages: the signed-in user's in-app inbox, and marking messages read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from townadmin.models.outbox import InboxMessage
from townadmin.notifications.inbox import (
    inbox_for,
    inbox_mark_all_read,
    inbox_message_mark_read,
    unread_count,
)

ALL_MARKED_READ = _("All your messages are marked as read.")


class InboxView(LoginRequiredMixin, ListView):
    """The user's messages, newest first, 25 a page."""

    template_name = "townadmin/inbox.html"
    paginate_by = 25
    # Not "messages": that name belongs to django.contrib.messages in the base layout.
    context_object_name = "inbox_messages"

    def get_queryset(self):
        return inbox_for(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(unread_count=unread_count(self.request.user), **kwargs)


@login_required
@require_POST
def inbox_message_read(request, pk):
    try:
        message = inbox_message_mark_read(message_id=pk, actor=request.user)
    except InboxMessage.DoesNotExist:
        raise Http404 from None
    if request.htmx:
        # The message in its new state, and the nav badge out of band.
        return render(
            request,
            "townadmin/_inbox_message_read.html",
            {"message": message, "unread_count": unread_count(request.user)},
        )
    return redirect(_inbox_page(request))


@login_required
@require_POST
def inbox_read_all(request):
    inbox_mark_all_read(actor=request.user)
    messages.success(request, ALL_MARKED_READ)
    return redirect(_inbox_page(request))


def _inbox_page(request):
    """Back to the page the user was on (only a page number is taken from the form)."""
    page = request.POST.get("page", "")
    url = reverse("inbox")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url
