import django.contrib.postgres.indexes
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("powers", "0002_entry_ordering"),
    ]

    operations = [
        BtreeGinExtension(),
        migrations.RemoveIndex(model_name="listentry", name="list_entry_search"),
        migrations.AddIndex(
            model_name="listentry",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["version", "search_vector"], name="list_entry_search"
            ),
        ),
    ]
