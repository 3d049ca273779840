"""Re-encrypt every stored Fernet token as AES-256-GCM (no timestamp), and coarsen note and
closing dates to the Monday of their week.

Why: a Fernet token carries the second it was written in clear (bytes 1-8), so every report,
outcome, message, note and attachment in the database was dated to the second, readable without
the key. The old tokens are read with the configured keys (the same key file or
EQUITABLE_INCIDENT_KEYS: the key format did not change) and written in the format of
`equitable.incidents.crypto` version 1, bound to their report and field. Rows are converted one
at a time (attachments are up to 10 MB each). A database without incident content needs no key.

Not reversible: going back would put the timestamps back.
"""

from datetime import timedelta

from django.db import migrations

# Frozen here (a migration must not change when the app does): model, context name, path to
# the report's reference, encrypted fields. Same contexts as equitable.incidents.services.
_FIELDS = (
    ("Report", "report", "reference", ("what_happened", "desired_outcome")),
    ("Message", "message", "report__reference", ("body",)),
    ("InternalNote", "note", "report__reference", ("body",)),
    ("Attachment", "attachment", "report__reference", ("content",)),
)


def _monday(day):
    return day - timedelta(days=day.weekday())


def _has_legacy_tokens(apps) -> bool:
    from equitable.incidents.crypto import is_legacy_token

    for model_name, _kind, _path, fields in _FIELDS:
        model = apps.get_model("incidents", model_name)
        for pk in model.objects.values_list("pk", flat=True):
            tokens = model.objects.values_list(*fields).get(pk=pk)
            if any(token and is_legacy_token(token) for token in tokens):
                return True
    return False


def re_encrypt(apps, schema_editor):
    from equitable.incidents import keys
    from equitable.incidents.crypto import Cipher, context, is_legacy_token

    if _has_legacy_tokens(apps):
        box = Cipher(keys.configured_keys())
        for model_name, kind, reference_path, fields in _FIELDS:
            model = apps.get_model("incidents", model_name)
            for pk in list(model.objects.order_by("pk").values_list("pk", flat=True)):
                reference, *tokens = model.objects.values_list(reference_path, *fields).get(pk=pk)
                updates = {
                    field: box.encrypt(
                        box.decrypt_legacy(token), context(f"{kind}.{field}", reference)
                    )
                    for field, token in zip(fields, tokens, strict=True)
                    if token and is_legacy_token(token)
                }
                if updates:
                    model.objects.filter(pk=pk).update(**updates)

    note_model = apps.get_model("incidents", "InternalNote")
    for note in note_model.objects.only("pk", "created_on"):
        if note.created_on.weekday():
            note_model.objects.filter(pk=note.pk).update(created_on=_monday(note.created_on))
    report_model = apps.get_model("incidents", "Report")
    for report in report_model.objects.exclude(closed_at=None).only("pk", "closed_at"):
        if report.closed_at.weekday():
            report_model.objects.filter(pk=report.pk).update(closed_at=_monday(report.closed_at))


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(re_encrypt)]
