"""Reporting obligations as data (JSON lists of :class:`~services.intake.deadlines.Obligation`)."""
