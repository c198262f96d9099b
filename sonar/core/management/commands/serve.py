import json
import os
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sonar.core import baseurl
from sonar.core.admission import max_concurrent_requests
from sonar.core.management.commands._base import SonarCommand
from sonar.environment import envint

BACKLOG = 2048


def granian_options(host, port, workers):
    """How granian serves Sonar (enumerations by value, see sonar/supervise.py)."""
    return {
        # Sonar's application, trusting X-Forwarded-* from FORWARDED_ALLOW_IPS only.
        # granian serves ASGI, so the workshops' live streams too, about twice as fast as
        # uvicorn on the same pages (bench/pages.py; README, "Performance").
        "target": "sonar.serving:application",
        "address": host,
        "port": port,
        "interface": "asginl",  # Django has no lifespan
        "workers": workers,
        "websockets": False,
        # Every open live stream (each participant's phone, each facilitator's screen) is a
        # request in progress. granian's default lets 1,024 run at once per worker and makes
        # the next ones wait for a free slot: 50 workshops of 20 stalled every answer. A
        # stream is an idle coroutine, so the ceiling is set by memory, not by CPU.
        "backlog": BACKLOG,
        "backpressure": max_concurrent_requests(),
        # Live workshop streams never end by themselves: on stop or restart, give them
        # a few seconds, then close them (clients reconnect and take the next snapshot).
        "workers_kill_timeout": 5,
        # A worker that dies (killed, out of memory) is replaced.
        "respawn_failed_workers": True,
        "log_level": "info",
    }


class Command(SonarCommand):
    help = gettext_lazy(
        "Sert le site avec granian (ASGI ; par défaut sur http://127.0.0.1:8000 ; les variables "
        "HOST et PORT, ou --host et --port, changent l’adresse)."
    )
    # Unlike the data commands, serving checks the configuration first, as runserver does.
    requires_system_checks = "__all__"

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST") or "127.0.0.1",
            help=gettext_lazy("adresse d’écoute (par défaut : HOST, sinon 127.0.0.1)"),
        )
        parser.add_argument(
            "--port",
            type=int,
            default=envint("PORT", 8000, least=1),
            help=gettext_lazy("port d’écoute (par défaut : PORT, sinon 8000)"),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=envint("WEB_CONCURRENCY", 1, least=1),
            help=gettext_lazy("nombre de processus (par défaut : WEB_CONCURRENCY, sinon 1)"),
        )

    def handle(self, *args, host, port, workers, **options):
        self.collect_static_files()
        # The workers read their settings anew: they get the address links start with, the
        # one given here (--host, --port) when SONAR_BASE_URL is not set (sonar/core/baseurl.py).
        environ = dict(os.environ)
        if not environ.get("SONAR_BASE_URL", "").strip():
            environ["SONAR_BASE_URL"] = baseurl.from_host_and_port(host, port)
        self.stdout.write(
            _("Sonar est servi sur http://%(host)s:%(port)s (Ctrl+C pour arrêter).")
            % {"host": host, "port": port}
        )
        self.stdout.write(
            _(
                "Les liens envoyés ou imprimés commencent par %(url)s (partage, codes QR, "
                "courriels) ; SONAR_BASE_URL les change."
            )
            % {"url": baseurl.derive(environ)}
        )
        self.stdout.flush()
        sys.stderr.flush()
        # This process now holds all of Django: granian's main process, which only looks after
        # the workers, runs without it (sonar/supervise.py).
        os.execve(  # noqa: S606 (a fixed program: this interpreter, our module)
            sys.executable,
            [
                sys.executable,
                "-m",
                "sonar.supervise",
                json.dumps(granian_options(host, port, workers)),
            ],
            environ,
        )

    def collect_static_files(self):
        """WhiteNoise serves fingerprinted files listed in a manifest that `collectstatic`
        writes; a missing or outdated manifest would break pages, so it is written here when
        it is missing or older than a static file (after an update, for instance)."""
        if "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]:
            return
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        written = manifest.stat().st_mtime if manifest.exists() else None
        if written is None or any(mtime > written for mtime in source_mtimes()):
            self.stdout.write(_("Préparation des fichiers statiques…"))
            call_command("collectstatic", interactive=False, verbosity=0)


def source_mtimes():
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            yield os.path.getmtime(storage.path(path))
