"""The inbox of initial information (informasi awal): the public form, WhatsApp and email (docs/public.md)."""
