"""Developer tool: regenerate the initial Alembic migration from storage/models.py.

Only while the project has not been released (no database in the field depends on 0001):
after that, add a new migration with `alembic revision --autogenerate` instead.
Run: PYTHONPATH=. python scripts/regen_initial_migration.py
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from alembic import command

from storage.db import MIGRATIONS_DIR, alembic_config, make_engine

TARGET = MIGRATIONS_DIR / "versions" / "0001_initial_schema.py"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # later hand-written migrations (0002…) revise 0001: set them aside while it is rebuilt
        later = [p for p in TARGET.parent.glob("0*.py") if p != TARGET]
        for path in later:
            path.rename(Path(tmp) / path.name)
        try:
            engine = make_engine(f"sqlite:///{Path(tmp) / 'gen.sqlite3'}")
            command.revision(
                alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001"
            )
        finally:
            for path in later:
                (Path(tmp) / path.name).rename(path)
    text = TARGET.read_text()
    text = text.replace("storage.models.UTCDateTime(timezone=True)", "sa.DateTime(timezone=True)")
    text = re.sub(r"^import storage\.models\n", "", text, flags=re.M)
    TARGET.write_text(text)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
