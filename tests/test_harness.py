"""The harness itself: both backends are real servers/files, and the PostgreSQL one really is PostgreSQL."""
from sqlalchemy import text

from casework.adapters import migrate


def test_each_backend_is_real_and_migrated(engine, backend):
    with engine.connect() as conn:
        if backend == "postgresql":
            assert conn.execute(text("select version()")).scalar().startswith("PostgreSQL")
        else:
            assert conn.execute(text("select sqlite_version()")).scalar()
        assert conn.execute(text("select version_num from alembic_version")).scalar() == migrate.head_revision()
