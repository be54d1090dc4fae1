from django.db import models

from townadmin.models.deadlines import (
    Clock,
    Supervised,
    due_date_field,
    sweep_index,
    warning_level_field,
)


class SupervisedThing(Supervised):
    """A workflow object with the mixin's single clock, as an enforcement case would have."""

    town = models.ForeignKey("townadmin.Town", models.CASCADE, related_name="+")
    name = models.CharField(max_length=64)

    class Meta:
        indexes = [sweep_index(name="thing_due_sweep")]

    def __str__(self):
        return self.name


class TwoClockThing(Supervised):
    """A workflow object with a promised and a statutory clock, as a service application has."""

    town = models.ForeignKey("townadmin.Town", models.CASCADE, related_name="+")
    name = models.CharField(max_length=64)
    statutory_due_date = due_date_field()
    statutory_warning_level = warning_level_field()

    CLOCKS = (
        Clock("promised", "due_date", "warning_level"),
        Clock("statutory", "statutory_due_date", "statutory_warning_level"),
    )

    class Meta:
        indexes = [
            sweep_index(name="two_clock_promised_sweep"),
            sweep_index(name="two_clock_statutory_sweep", due_field="statutory_due_date"),
        ]

    def __str__(self):
        return self.name
