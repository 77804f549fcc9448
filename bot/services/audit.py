"""Recording admin actions that have no other write of their own (e.g. /fetch)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.repositories.audit import AuditRepo


def record(session: Session, user_id: int | None, action: str, detail: str = "") -> None:
    AuditRepo(session).record(user_id, action, detail)
