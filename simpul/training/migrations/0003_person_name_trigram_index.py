"""On PostgreSQL, a trigram index on the participants' names, for the name search of a province's list.

Without it, a search like "siti" walks the name index in order and, because the names that contain a
term cluster where they begin with it, reads 1.1 million of 1.5 million people before the first page
is full (3.1 s at national scale). With it, the matching names are found by the index and only they
are sorted (docs/performance.md). pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner
may create it. SQLite (the embedded database of `make run`) has no such index and needs none at its size.
"""

from django.db import migrations

INDEX = "training_person_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON training_person USING gin (upper(full_name) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("training", "0002_fewer_low_selectivity_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
