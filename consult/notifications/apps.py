from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consult.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from consult.accounts import erasure
        from consult.core import periodic

        from . import emails, receivers, services

        receivers.connect()
        # Deleting an account deletes its inbox, preferences and sent invitations (consult.accounts.erasure).
        erasure.register("notifications", lambda user: services.member_notifications_delete(user=user))
        # The daily digest: the worker asks every 5 minutes whether today's is due (emails.digest_send_due).
        periodic.register("notifications_digest", every=300.0, job=emails.digest_send_due)
