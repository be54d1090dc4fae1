"""What a notice's PDF prints: the notice's content snapshot, read into dates and labels.

The snapshot is what the service wrote when it issued the notice, so a reprint says
what the first print said; only the application's fixed facts (receipt number,
verification code, applicant, item) are read from the application itself.
"""

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from servicecenter.choices import Decision, MaterialForm, NoticeKind
from servicecenter.services.window import DEFAULT_REMEDY
from townadmin.models.calendar import DayType

DATES = ("promised_due", "statutory_due", "pending_until")


def notice_context(notice):
    application = notice.application
    item = application.item
    content = dict(notice.content or {})
    for key in DATES:
        if content.get(key):
            content[key] = parse_date(content[key])
    if content.get("accepted_at"):
        content["accepted_at"] = timezone.localtime(parse_datetime(content["accepted_at"]))
    if content.get("day_type") in DayType.values:
        content["day_type_label"] = DayType(content["day_type"]).label
    if content.get("decision") in Decision.values:
        content["approved"] = content["decision"] == Decision.APPROVED
    for key in ("missing", "pending", "materials"):
        if isinstance(content.get(key), list):
            content[key] = [_material(line) for line in content[key]]
    return {
        "notice": notice,
        "kind": NoticeKind(notice.kind),
        "application": application,
        "item": item,
        "town": application.town,
        "issuer": content.get("decided_in_name_of") or item.exercised_in_name_of,
        "issued_on": timezone.localdate(notice.issued_at),
        "content": content,
        # A denial, like a refusal, tells the applicant how to challenge it.
        "remedy": content.get("remedy") or item.remedy_channel or DEFAULT_REMEDY,
    }


def _material(line):
    line = dict(line)
    if line.get("form") in MaterialForm.values:
        line["form_label"] = MaterialForm(line["form"]).label
    return line
