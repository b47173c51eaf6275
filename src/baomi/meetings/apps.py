from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.meetings"
    label = "meetings"
    verbose_name = "涉密会议"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # MTG-1: the meeting and later growth of its attendee list are approved through the
        # engine; the kinds are registered here so the engine never learns about meetings.
        from baomi.meetings.approval_kinds import register_kinds

        register_kinds()
