from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sonar.core.management.commands._base import SonarCommand
from sonar.workshops import actions


class Command(SonarCommand):
    help = gettext_lazy(
        "Efface les réponses détaillées des ateliers créés il y a plus de "
        "SONAR_WORKSHOP_RETENTION_DAYS jours (90 par défaut) ; les totaux de chaque atelier "
        "restent. À lancer chaque jour (cron) ; le site le fait aussi de lui-même."
    )

    def handle(self, *args, **options):
        count = actions.purge()
        if not count:
            self.stdout.write(_("Rien à effacer."))
            return
        self.stdout.write(
            ngettext(
                "%(count)d atelier purgé (réponses de plus de %(days)d jours).",
                "%(count)d ateliers purgés (réponses de plus de %(days)d jours).",
                count,
            )
            % {"count": count, "days": settings.SONAR_WORKSHOP_RETENTION_DAYS}
        )
