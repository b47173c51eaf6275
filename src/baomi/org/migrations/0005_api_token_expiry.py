"""SEC-2: API tokens expire. Tokens issued before had no expiry: they keep working for one full
default lifetime counted from this upgrade (90 days), rather than dying at once or never."""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone

DEFAULT_LIFETIME = timedelta(days=90)


def give_existing_tokens_a_lifetime(apps, schema_editor):
    ApiToken = apps.get_model("org", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + DEFAULT_LIFETIME
    )


class Migration(migrations.Migration):
    dependencies = [("org", "0004_unit_authority_none")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="到期时间"),
        ),
        migrations.RunPython(give_existing_tokens_a_lifetime, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="到期时间"),
        ),
    ]
