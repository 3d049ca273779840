from django.db import migrations, models


def copy_manual_values(apps, schema_editor):
    """A value entered by hand is the same for everyone; snapshot values are recomputed from
    the protected tables the next time the figures change (or by `refresh_computed_values`)."""
    MeasureValue = apps.get_model("actions", "MeasureValue")
    MeasureValue.objects.filter(origin="manual").update(published_value=models.F("value"))


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="measurevalue",
            name="published_value",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.RunPython(copy_manual_values, migrations.RunPython.noop),
    ]
