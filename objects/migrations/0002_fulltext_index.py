"""On PostgreSQL, a GIN index for the list's full-text search (objects.search)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS objects_version_fulltext ON objects_objectversion "
    "USING gin (to_tsvector('simple', search_text))"
)
DROP = "DROP INDEX IF EXISTS objects_version_fulltext"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("objects", "0001_initial")]
    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
