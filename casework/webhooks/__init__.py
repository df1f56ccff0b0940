"""Webhooks (issue 19, item 4): an account — an integration's, usually — subscribes a URL to events of the cases it
may see; each event is queued once per subscriber in the transaction that caused it (events.py), delivered by a
sender with retries and back-off (delivery.py), signed with HMAC-SHA256 over a timestamp and the body
(signature.py). Subscriptions: subscriptions.py. docs/webhooks.md is the integrator's guide."""
