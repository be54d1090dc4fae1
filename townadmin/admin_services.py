"""Admin pages whose saves go through a service function (DESIGN.md section 4).

Django's admin validates a form and then saves the object itself. Our services both
check (under their locks) and write, and their refusal ("this quota would exceed the
county's total") must show on the form, so the service runs while the form is
validated: ``ServiceAdminMixin`` calls ``run_service()`` from the form's ``clean()``.
The admin runs the whole request in one transaction and these pages have no inlines,
so nothing is validated after the service has written: the write and the form's
verdict cannot disagree. ``save_model`` then only adopts the saved row.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

REASON_HELP = _("Recorded in the audit trail with your name.")


class ReadOnlyInline(admin.TabularInline):
    """Rows of a read-only parent: shown in place, nothing to add, change or delete."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows only services, jobs or triggers write: the admin shows them and offers nothing else."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def reason_field():
    return forms.CharField(label=_("Reason"), required=False, max_length=500, help_text=REASON_HELP)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceAdminMixin:
    """For a ModelAdmin: ``run_service(request, obj, data, change)`` writes and returns the row.

    Return None to let the admin save the object as usual (nothing for a service to do).
    """

    def run_service(self, request, obj, data, change):
        raise NotImplementedError(f"{type(self).__name__} must define run_service()")

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(base):
            saved_object = None

            def clean(self):
                data = super().clean()
                if self.errors:
                    return data
                try:
                    # A savepoint: a refusal by a second service call must undo the
                    # first, because the admin commits when it shows the form again.
                    with transaction.atomic():
                        saved = model_admin.run_service(request, self.instance, data, change)
                except ValidationError as error:
                    _add_errors(self, error)
                except PermissionDenied as error:
                    self.add_error(None, str(error))
                else:
                    if saved is not None:
                        self.saved_object = saved
                        # The row exists now: the form's own uniqueness check must see
                        # it as this object, not as a duplicate.
                        self.instance.pk = saved.pk
                        self.instance._state.adding = False
                return data

        return ServiceForm

    def save_model(self, request, obj, form, change):
        if form.saved_object is None:
            super().save_model(request, obj, form, change)
