"""Seed the working-day calendar from the chinesecalendar package, and the statutory time limits.

A fresh database then answers for every year the package covers (2004 onwards);
``manage.py load_holidays`` runs the same function after a package upgrade.
"""

from django.db import migrations

# Time limits fixed by national law, as rules the apps point at. Licensing periods
# are working days (行政许可法 Art. 82); 行政处罚法 counts only its 2-, 3-, 5- and
# 7-day limits in working days (Art. 85), so its 90 days are calendar days.
LICENSING = "中华人民共和国行政许可法"
PENALTIES = "中华人民共和国行政处罚法"
RULES = [
    ("licence_decision", "行政许可决定", "working", 20, LICENSING, "第四十二条第一款"),
    ("licence_decision_extension", "行政许可决定延长", "working", 10, LICENSING, "第四十二条第一款"),
    ("licence_joint_decision", "统一办理或者联合办理、集中办理的行政许可决定", "working", 45, LICENSING, "第四十二条第二款"),
    ("licence_joint_decision_extension", "统一办理或者联合办理、集中办理的行政许可决定延长", "working", 15, LICENSING, "第四十二条第二款"),
    ("licence_missing_materials_notice", "一次性告知补正材料", "working", 5, LICENSING, "第三十二条第一款第（四）项"),
    ("penalty_decision", "行政处罚决定", "calendar", 90, PENALTIES, "第六十条"),
    ("penalty_hearing_request", "当事人要求听证", "working", 5, PENALTIES, "第六十四条第（一）项"),
]


def load(apps, schema_editor):
    from townadmin.workdays import load_chinese_calendar

    load_chinese_calendar(
        holiday_model=apps.get_model("townadmin", "Holiday"),
        year_model=apps.get_model("townadmin", "CalendarYear"),
    )
    rule = apps.get_model("townadmin", "DeadlineRule")
    rule.objects.bulk_create(
        [
            rule(code=code, name=name, day_type=day_type, days=days, law=law, article=article)
            for code, name, day_type, days, law, article in RULES
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("townadmin", "0006_calendar_deadlines"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
