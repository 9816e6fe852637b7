"""The definitions' bytes move to a table of their own; the live generation's pointer."""

from django.db import migrations, models


def move_bodies(apps, schema_editor):
    """Each stored definition's bytes into DefinitionBody, once per hash, a batch at a time."""
    version_model = apps.get_model("objects", "ObjectVersion")
    body_model = apps.get_model("objects", "DefinitionBody")
    rows = (
        version_model.objects.exclude(definition=None)
        .exclude(definition_sha256="")
        .values_list("definition_sha256", "definition")
        .order_by("pk")
    )
    seen, batch = set(), []
    for sha256, body in rows.iterator(chunk_size=200):
        if sha256 not in seen:
            seen.add(sha256)
            batch.append(body_model(sha256=sha256, body=bytes(body)))
        if len(batch) >= 200:
            body_model.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    body_model.objects.bulk_create(batch, ignore_conflicts=True)


def restore_bodies(apps, schema_editor):
    version_model = apps.get_model("objects", "ObjectVersion")
    body_model = apps.get_model("objects", "DefinitionBody")
    for row in body_model.objects.iterator(chunk_size=200):
        version_model.objects.filter(definition_sha256=row.sha256).update(definition=row.body)


class Migration(migrations.Migration):
    dependencies = [
        ("objects", "0008_changes"),
    ]

    operations = [
        migrations.CreateModel(
            name="DefinitionBody",
            fields=[
                ("sha256", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("body", models.BinaryField()),
            ],
        ),
        migrations.CreateModel(
            name="LiveData",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("live", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(move_bodies, restore_bodies),
    ]
