"""Reporting obligations assigned to a body, and the reminder letters when reports are late.

- :mod:`.catalogue` — the obligations (JSON files in ``services/intake/deadlines/obligations``);
- :mod:`.views` — ``/v1/obligations`` (assign reporters, admin) and ``/v1/reminders``;
- :mod:`.scheduler` — the worker's periodic deadline check: one ``reminder.requested``
  per (body, obligation, period), recorded in ``intake_reminders`` with the outbox event.
"""
