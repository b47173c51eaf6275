from django.db import models


class ImportKind(models.TextChoices):
    """What a ledger file holds: people (with their accounts) or classified carriers."""

    PEOPLE = "people", "人员"
    CARRIERS = "carriers", "涉密载体"
