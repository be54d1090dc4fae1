"""Placeholder filled by the calendar work of issue #3."""
