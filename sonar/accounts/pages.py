"""What every account page shares: kept by nobody, found by no search engine, and its `next`
address kept on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def posted(request):
    """The POSTed data, or None for a GET: an empty POST is still a submitted (invalid) form."""
    return request.POST if request.method == "POST" else None


def safe_next(request, value=None):
    """The `next` address when it stays on this site, else ''."""
    value = value if value is not None else request.POST.get("next") or request.GET.get("next")
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""
