"""archive's tables. Every table holding a body's data carries its OrganId.

The foundation has only the outbox and inbox; records and dossiers follow.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from shared.runtime import ServiceTables

metadata = MetaData()

tables = ServiceTables("archive", metadata)
