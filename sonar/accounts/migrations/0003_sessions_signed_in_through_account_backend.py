"""Sessions opened before sonar.accounts.backends existed named Django's ModelBackend, which is
no longer listed: they now name AccountBackend, so that nobody is signed out by the change."""

from django.conf import settings
from django.db import migrations

OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "sonar.accounts.backends.AccountBackend"
BACKEND_KEY = "_auth_user_backend"


def rename(apps, schema_editor, old=OLD, new=NEW):
    from importlib import import_module

    Session = apps.get_model("sessions", "Session")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for session in Session.objects.using(schema_editor.connection.alias).iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_KEY) == old:
            data[BACKEND_KEY] = new
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organisation_invitation"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
