"""The approval sequence of facts: the order in which facts became approved, for digests.

Fact ids follow creation, not approval (a fact proposed last month may be approved today), and
clock times are taken before a writer waits for the database lock, so neither can serve as a
digest cursor. `approval_seq` is numbered by the writer while it holds the write lock (after
its own write), so sequence numbers are handed out in commit order: once a reader has seen
number N committed, no fact can later commit with a number at or below N. The unique index
turns a concurrent writer on a database without one global write lock into an error rather
than a duplicate."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import Fact


def stamp_approvals(session: Session) -> int:
    """Number approved facts that have no number yet, oldest id first; clear the number of
    facts no longer approved (approved again later, they are news again). Call it after the
    write that approved them, in the same transaction. Returns how many were numbered."""
    session.flush()
    session.execute(
        update(Fact)
        .where(Fact.status != "approved", Fact.approval_seq.is_not(None))
        .values(approval_seq=None)
        .execution_options(synchronize_session="fetch")
    )
    new = session.scalars(
        select(Fact.id)
        .where(Fact.status == "approved", Fact.approval_seq.is_(None))
        .order_by(Fact.id)
    ).all()
    if not new:
        return 0
    last = session.scalar(select(func.max(Fact.approval_seq))) or 0
    session.execute(
        update(Fact), [{"id": fid, "approval_seq": last + n} for n, fid in enumerate(new, 1)]
    )
    numbered = set(new)
    for obj in list(session.identity_map.values()):  # a bulk update leaves loaded rows stale
        if isinstance(obj, Fact) and obj.id in numbered:
            session.expire(obj, ["approval_seq"])
    return len(new)
