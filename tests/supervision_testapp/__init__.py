"""A test-only app with concrete supervised models, so the abstract mixin is tested as apps use it.

Installed only by ``tests/settings.py`` (pytest); the project's settings never see it.
"""
