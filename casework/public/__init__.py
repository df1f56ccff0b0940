"""The public side (docs/public.md): online reports, announcements, open statistics."""
