"""Every login that existed before accounts were kept gets its account row: its password counts
as set now (expiring after the policy's max age), nothing to change at once, not locked."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def create_accounts(apps, schema_editor):
    from baomi.accounts.policy import level_policy

    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Account = apps.get_model("accounts", "Account")
    now = timezone.now()
    expires = now + timedelta(days=level_policy().max_age_days)
    Account.objects.bulk_create(
        [
            Account(user_id=pk, password_changed_at=now, password_expires_at=expires)
            for pk in User.objects.filter(account__isnull=True).values_list("pk", flat=True)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_accounts_and_security_settings")]

    operations = [migrations.RunPython(create_accounts, migrations.RunPython.noop)]
