from django.db import migrations


class Migration(migrations.Migration):
    """Receipt numbers come from one sequence: no lock, no number given twice."""

    dependencies = [("servicecenter", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE servicecenter_receipt_no",
            "DROP SEQUENCE servicecenter_receipt_no",
        )
    ]
