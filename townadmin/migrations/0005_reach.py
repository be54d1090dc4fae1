import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _reach_model(name, holder, target, verbose_name, verbose_name_plural):
    holder_field = (
        (
            "user",
            models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL
            ),
        )
        if holder == "user"
        else (
            "group",
            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="auth.group"),
        )
    )
    return migrations.CreateModel(
        name=name,
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "permission",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, to="auth.permission"
                ),
            ),
            holder_field,
            (
                "content_object",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name=f"{holder}_reach",
                    to=f"townadmin.{target}",
                    verbose_name=target,
                ),
            ),
        ],
        options={
            "verbose_name": verbose_name,
            "verbose_name_plural": verbose_name_plural,
            "abstract": False,
            "unique_together": {(holder, "permission", "content_object")},
        },
    )


class Migration(migrations.Migration):
    """Reach tables: guardian's direct foreign-key object permissions on Town and County."""

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("townadmin", "0004_outbox"),
    ]

    operations = [
        _reach_model(
            "TownUserObjectPermission",
            "user",
            "town",
            "user reach on a town",
            "user reach on towns",
        ),
        _reach_model(
            "TownGroupObjectPermission",
            "group",
            "town",
            "group reach on a town",
            "group reach on towns",
        ),
        _reach_model(
            "CountyUserObjectPermission",
            "user",
            "county",
            "user reach on a county",
            "user reach on counties",
        ),
        _reach_model(
            "CountyGroupObjectPermission",
            "group",
            "county",
            "group reach on a county",
            "group reach on counties",
        ),
    ]
