"""The working-day calendar over the API: add working days, count working days.

Both answer from the holiday table; a year the table lacks is a 400 with the same
localized message the admin and /healthz warn with, never a weekday-only guess.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from townadmin.workdays import CalendarYearMissing, add_workdays, workdays_between

# About four years of working days: longer than any legal time limit, and short
# enough that a request cannot make the server walk the calendar for long.
MAX_DAYS = 1000


class AddWorkdaysQuery(serializers.Serializer):
    start = serializers.DateField(help_text="The day the period starts from (not counted).")
    days = serializers.IntegerField(
        min_value=0, max_value=MAX_DAYS, help_text="How many working days to add."
    )


class WorkdaysBetweenQuery(serializers.Serializer):
    start = serializers.DateField(help_text="The first day, not counted.")
    end = serializers.DateField(
        help_text="The last day, counted; before `start` gives a negative count."
    )


class CalendarError(serializers.Serializer):
    """The 400 body: messages per query parameter, or for the request as a whole."""

    start = serializers.ListField(child=serializers.CharField(), required=False)
    days = serializers.ListField(child=serializers.CharField(), required=False)
    end = serializers.ListField(child=serializers.CharField(), required=False)
    non_field_errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="For example: the calendar has no data for a year the answer needs.",
    )


BAD_REQUEST = OpenApiResponse(
    CalendarError, description="A malformed parameter, or a year missing from the calendar."
)


class CalendarView(APIView):
    """Validates the query with ``query_serializer`` and returns ``answer(**query)``."""

    def get(self, request):
        query = self.query_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            return Response(self.answer(**query.validated_data))
        except CalendarYearMissing as missing:
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: missing.messages}
            ) from missing


class AddWorkdaysView(CalendarView):
    """The n-th working day after `start` (`start` itself is not counted)."""

    query_serializer = AddWorkdaysQuery

    @extend_schema(
        operation_id="calendar_add_workdays",
        parameters=[AddWorkdaysQuery],
        responses={
            200: inline_serializer("WorkdaysAdded", {"date": serializers.DateField()}),
            400: BAD_REQUEST,
        },
    )
    def get(self, request):
        return super().get(request)

    def answer(self, *, start, days):
        return {"date": add_workdays(start, days).isoformat()}


class WorkdaysBetweenView(CalendarView):
    """The number of working days after `start` up to and including `end`."""

    query_serializer = WorkdaysBetweenQuery

    @extend_schema(
        operation_id="calendar_workdays_between",
        parameters=[WorkdaysBetweenQuery],
        responses={
            200: inline_serializer("WorkdaysCounted", {"days": serializers.IntegerField()}),
            400: BAD_REQUEST,
        },
    )
    def get(self, request):
        return super().get(request)

    def answer(self, *, start, end):
        return {"days": workdays_between(start, end)}
