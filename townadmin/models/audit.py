"""Placeholder filled by the audit work of issue #3."""
