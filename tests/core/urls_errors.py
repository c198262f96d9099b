"""Sonar's URLs plus a view that fails, to see what a visitor gets from a server error."""

from django.urls import path

from sonar import urls


def broken(request):
    raise RuntimeError("détail interne qui ne doit jamais s’afficher")


urlpatterns = [path("essai/panne/", broken), *urls.urlpatterns]

handler400 = urls.handler400
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
