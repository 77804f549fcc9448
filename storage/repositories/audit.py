"""The audit log: who changed what, for every admin action."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AuditLog

MAX_DETAIL = 2000


class AuditRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, user_id: int | None, action: str, detail: str = "") -> AuditLog:
        entry = AuditLog(user_id=user_id, action=action[:50], detail=detail[:MAX_DETAIL])
        self.session.add(entry)
        self.session.flush()
        return entry

    def recent(self, limit: int = 20, action: str | None = None) -> Sequence[AuditLog]:
        stmt = select(AuditLog)
        if action is not None:
            stmt = stmt.where(AuditLog.action == action)
        return self.session.scalars(stmt.order_by(AuditLog.id.desc()).limit(limit)).all()
