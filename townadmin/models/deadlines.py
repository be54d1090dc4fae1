"""Placeholder filled by the deadlines work of issue #3."""
