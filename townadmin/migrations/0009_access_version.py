"""A user's access version, raised by the database whenever their reach or model
permissions change, however the change is made (a service, the admin, guardian's bulk
``assign_perm``, a data migration, raw SQL). ``townadmin.access`` keys the answers it
keeps across requests by it, so a revocation counts from the user's next request."""

from django.db import migrations, models

# Rows that carry a user_id: the user's own reach, groups and permissions.
BY_USER = (
    "townadmin_townuserobjectpermission",
    "townadmin_countyuserobjectpermission",
    "townadmin_user_groups",
    "townadmin_user_user_permissions",
)
# Rows that carry a group_id: every member of the group.
BY_GROUP = (
    "townadmin_towngroupobjectpermission",
    "townadmin_countygroupobjectpermission",
    "auth_group_permissions",
)

FUNCTIONS = """
CREATE FUNCTION townadmin_access_bump_users(user_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE townadmin_user SET access_version = access_version + 1 WHERE id = ANY(user_ids)
$$;

CREATE FUNCTION townadmin_access_by_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM townadmin_access_bump_users(ARRAY[OLD.user_id::bigint]);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM townadmin_access_bump_users(ARRAY[NEW.user_id::bigint]);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION townadmin_access_by_group() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    groups bigint[] := ARRAY[]::bigint[];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN groups := groups || OLD.group_id::bigint; END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN groups := groups || NEW.group_id::bigint; END IF;
    PERFORM townadmin_access_bump_users(ARRAY(
        SELECT user_id FROM townadmin_user_groups WHERE group_id = ANY(groups)
    ));
    RETURN NULL;
END $$;

-- County reach covers every town of the county, present and future; a superuser's covers
-- every town.
CREATE FUNCTION townadmin_access_by_town() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    counties bigint[] := ARRAY[]::bigint[];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN counties := counties || OLD.county_id::bigint; END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN counties := counties || NEW.county_id::bigint; END IF;
    PERFORM townadmin_access_bump_users(ARRAY(
        SELECT id FROM townadmin_user WHERE is_superuser
        UNION
        SELECT user_id FROM townadmin_countyuserobjectpermission
         WHERE content_object_id = ANY(counties)
        UNION
        SELECT member.user_id
          FROM townadmin_countygroupobjectpermission reach
          JOIN townadmin_user_groups member ON member.group_id = reach.group_id
         WHERE reach.content_object_id = ANY(counties)
    ));
    RETURN NULL;
END $$;
"""


def triggers():
    statements = [FUNCTIONS]
    for table in BY_USER:
        statements.append(
            f"CREATE TRIGGER {table}_access AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION townadmin_access_by_user();"
        )
    for table in BY_GROUP:
        statements.append(
            f"CREATE TRIGGER {table}_access AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION townadmin_access_by_group();"
        )
    statements.append(
        "CREATE TRIGGER townadmin_town_access AFTER INSERT OR DELETE OR UPDATE OF county_id "
        "ON townadmin_town FOR EACH ROW EXECUTE FUNCTION townadmin_access_by_town();"
    )
    return "\n".join(statements)


def drop_triggers():
    statements = [
        f"DROP TRIGGER {table}_access ON {table};" for table in (*BY_USER, *BY_GROUP)
    ]
    statements.append("DROP TRIGGER townadmin_town_access ON townadmin_town;")
    statements += [
        f"DROP FUNCTION townadmin_access_{name}();" for name in ("by_user", "by_group", "by_town")
    ]
    statements.append("DROP FUNCTION townadmin_access_bump_users(bigint[]);")
    return "\n".join(statements)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("townadmin", "0008_posting_ended_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="access_version",
            field=models.PositiveBigIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.RunSQL(triggers(), drop_triggers()),
    ]
