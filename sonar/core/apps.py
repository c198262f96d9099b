from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class CoreConfig(AppConfig):
    name = "sonar.core"
    label = "core"
    verbose_name = "Sonar"

    def ready(self):
        from sonar.core import pagecache

        # Any change to reference content forgets the cached pages (sonar/core/pagecache.py).
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(pagecache.content_changed, dispatch_uid=f"pagecache-{signal!r}")
