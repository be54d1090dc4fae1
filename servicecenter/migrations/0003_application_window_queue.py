from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    """A clerk's window queue read in index order (servicecenter.selectors.queue).

    Built concurrently: the application table is the hall's busiest, and a plain CREATE
    INDEX would hold its writes (intake, acceptance) for the whole build.
    """

    atomic = False

    dependencies = [("servicecenter", "0002_receipt_no_sequence")]

    operations = [
        AddIndexConcurrently(
            model_name="application",
            index=models.Index(
                condition=models.Q(status__in=("draft", "received", "correction")),
                fields=["town", "status_since", "id"],
                name="application_window_queue",
            ),
        ),
    ]
