from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class SonarCommand(BaseCommand):
    """A command a Sonar user runs: its help shows only the options that user needs."""

    # Data operations, not configuration: the system checks run with `migrate` and at start-up.
    requires_system_checks = []
    suppressed_base_arguments = {
        "--version",
        "--settings",
        "--pythonpath",
        "--traceback",
        "--no-color",
        "--force-color",
        "--skip-checks",
        "--verbosity",
    }

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The help is translated lazily, in the language active when it is shown.
        self.help = str(self.help)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        for action in parser._actions:
            if action.dest == "help":
                action.help = _("affiche cette aide")
        return parser
