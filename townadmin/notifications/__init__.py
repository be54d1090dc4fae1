"""Notifications: the outbox, its relay and the in-app inbox (DESIGN.md section 6).

Call :func:`notify` from a service function, inside its transaction::

    notify(
        recipients=[application.applicant_clerk],
        subject=_("Application %(number)s is due tomorrow") % {"number": application.number},
        body=...,
        channels=("inbox", "email"),
        town=application.town,
        link=application.get_absolute_url(),
        dedupe_key=f"application:{application.pk}:yellow",
    )

The rows commit or roll back with the change; the relay delivers them after
commit (and from its beat entry, should the broker have been down).
"""

from townadmin.notifications.enqueue import notify

__all__ = ["notify"]
