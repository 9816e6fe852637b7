"""The list's search moved to its own index (objects/list_index.py), the same on every
database: PostgreSQL's GIN index of 0002 is no longer read, and would only slow the sync's
writes of every generation."""

from importlib import import_module

from django.db import migrations

fulltext = import_module("objects.migrations.0002_fulltext_index")


class Migration(migrations.Migration):
    dependencies = [("objects", "0010_generations_rows")]
    operations = [
        migrations.RunPython(
            fulltext.on_postgresql(fulltext.DROP), fulltext.on_postgresql(fulltext.CREATE)
        )
    ]
