"""The powers app API: the public lists (public.py) and the staff endpoints."""
