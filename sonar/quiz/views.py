"""The visitor's path: intro, one question per screen, then a result they can keep and share.

Plain forms and redirects: every step works without JavaScript, and the answers live in the
session, so refreshing, going back or forward loses nothing. GET never writes.
"""

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sonar.atlas import suggestions as atlas_suggestions
from sonar.core import pagecache
from sonar.core.links import absolute
from sonar.journeys import practices as journey_practices
from sonar.quiz import data
from sonar.quiz.models import Result
from sonar.quiz.progress import Progress, earlier_token
from sonar.quiz.report import CHART, Report

CARD_CACHE_SECONDS = 60 * 60 * 24

# Where a visitor can go after their result, once the apps that serve those pages exist.
NEXT_STEPS = [
    ("atlas:map", gettext_lazy("Explorer la carte des méthodes et des approches")),
    ("journeys:index", gettext_lazy("Choisir une trajectoire pour commencer")),
]


def _quiz_or_404(key):
    quiz = data.get(key)
    if quiz is None or not quiz.questions:
        raise Http404
    return quiz


@require_safe
@pagecache.kept
def start(request, key):
    quiz = _quiz_or_404(key)
    progress = Progress(request.session, quiz)
    tokens = progress.result_tokens
    latest = None
    if tokens:
        mine = Result.objects.filter(token__in=tokens, questionnaire_id=quiz.id)
        latest = max(mine, key=lambda r: tokens.index(r.token), default=None)
    return render(
        request,
        "quiz/start.html",
        {
            "quiz": quiz,
            "progress": progress,
            "resume_at": progress.first_unanswered() or len(quiz.questions),
            "latest": latest,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@pagecache.kept
def question(request, key, number):
    quiz = _quiz_or_404(key)
    current = quiz.question_at(number)
    if current is None:
        raise Http404
    progress = Progress(request.session, quiz)
    first_gap = progress.first_unanswered()
    choice = request.POST.get("choice", "") if request.method == "POST" else None
    if first_gap is not None and first_gap < number:
        # Questions are answered in order: send the visitor to the first one still open. A valid
        # answer sent from further on (the session expired mid-way, or the visitor skipped
        # ahead) is kept, so what they chose is not lost, and they are told why they moved.
        if choice and current.choice(choice) is not None:
            progress.answer(current.key, choice)
            messages.info(
                request,
                _(
                    "Votre réponse à la question %(number)d est gardée. Il manque la réponse "
                    "à la question %(gap)d : reprenez ici."
                )
                % {"number": number, "gap": first_gap},
            )
        return redirect("quiz:question", key=quiz.key, number=first_gap)

    error = None
    selected = progress.answers.get(current.key)
    if choice is not None:
        if current.choice(choice) is None:
            error = _("Choisissez une réponse à la question %(number)d pour continuer.") % {
                "number": number
            }
        else:
            progress.answer(current.key, choice)
            return _after_answer(request, quiz, progress, number)

    if quiz.ladder:
        # On a ladder the file lists the choices from the lowest stage up: showing them in
        # that order would give the "best" answer away. Scoring reads keys, not positions.
        current = current.shuffled(progress.seed)
    page = {
        "quiz": quiz,
        "question": current,
        "number": number,
        "total": len(quiz.questions),
        "selected": selected,
        "error": error,
        "back_url": (
            reverse("quiz:question", args=[quiz.key, number - 1])
            if number > 1
            else reverse("quiz:start", args=[quiz.key])
        ),
        "last": number == len(quiz.questions),
    }
    if error:
        return render(request, "quiz/question.html", page, status=400)
    if quiz.ladder:
        # The order of the choices is the visitor's own: the page is not kept.
        return render(request, "quiz/question.html", page)
    # Mid-quiz, the page differs from one visitor to another only by the choice they made:
    # kept once per choice (a plenary of 300 on their phones asks the same few pages).
    return pagecache.kept_variant(
        request, selected or "", lambda: render(request, "quiz/question.html", page)
    )


def _after_answer(request, quiz, progress, number):
    """Go to the next question; after the last one, keep the result and show it."""
    if number < len(quiz.questions):
        return redirect("quiz:question", key=quiz.key, number=number + 1)
    first_gap = progress.first_unanswered()
    if first_gap is not None:
        return redirect("quiz:question", key=quiz.key, number=first_gap)
    answers = progress.answers
    result = Result.objects.record(
        quiz.id, answers, quiz.score(answers), submission=progress.submission()
    )
    progress.remember(result.token)
    return redirect("quiz:result", token=result.token)


@require_POST
def begin(request, key):
    """Begin the questionnaire: on a ladder, draw this respondent's order of the choices
    (kept in the session with the answers), then go to the first question still open."""
    quiz = _quiz_or_404(key)
    progress = Progress(request.session, quiz)
    progress.begin()
    return redirect("quiz:question", key=quiz.key, number=progress.first_unanswered() or 1)


@require_POST
def restart(request, key):
    """Retake the questionnaire from the start, with a new order of the choices; earlier
    results stay for comparison."""
    quiz = _quiz_or_404(key)
    progress = Progress(request.session, quiz)
    progress.reset()
    progress.begin()
    return redirect("quiz:question", key=quiz.key, number=1)


def _report(result):
    quiz = data.get(pk=result.questionnaire_id)
    if quiz is None:
        raise Http404
    # On a ladder, each practice links to the balise that raises it (journeys).
    milestones = journey_practices.milestones_by_practice() if quiz.ladder else None
    return Report(quiz, result, milestones)


def _share_url(result):
    return absolute(reverse("quiz:share", args=[result.share_token]))


def _trajectory(report):
    """From a stage: its trajectory, and the "you are here" view that adds the visitor's style."""
    if report.stage is None:
        return []
    links = [
        (
            "journeys:trajectory",
            [report.stage.key],
            _("La trajectoire à partir de l’étape « %s »") % report.stage.name,
        ),
        (
            "journeys:here",
            [report.result.token],
            _("Vous êtes ici : votre étape et votre style d’innovation réunis"),
        ),
    ]
    steps = []
    for name, args, label in links:
        try:
            steps.append({"url": reverse(name, args=args), "label": label})
        except NoReverseMatch:
            continue
    return steps


def _next_steps(report):
    # The method finder, with the task that suits this profile or stage already chosen.
    from sonar.atlas import finder

    keys = [report.stage.key] if report.stage else report.result.outcomes
    steps = [
        {
            "url": finder.url_for_result(keys),
            "label": _("Trouver les méthodes qui conviennent à votre résultat"),
        }
    ]
    for name, label in NEXT_STEPS:
        if report.ladder and name == "journeys:index":
            continue  # a stage already points to its own trajectory

        try:
            steps.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue
    return steps


def _earlier(request, result):
    """The result this browser obtained just before this one, for the same questionnaire."""
    token = earlier_token(request.session, result.token)
    while token:
        earlier = Result.objects.filter(token=token).first()
        if earlier and earlier.questionnaire_id == result.questionnaire_id:
            return earlier
        token = earlier_token(request.session, token)
    return None


@require_safe
def result(request, token):
    result = get_object_or_404(Result, token=token)
    report = _report(result)
    earlier = _earlier(request, result)
    context = {
        "quiz": report.quiz,
        "report": report,
        "chart": CHART,
        "share_url": _share_url(result),
        "next_steps": _next_steps(report),
        "trajectory": _trajectory(report),
        "earlier": earlier,
        "earlier_report": Report(report.quiz, earlier) if earlier else None,
        "comparison": report.compare(earlier) if earlier else [],
        "suggestions": _suggestions(report),
    }
    return pagecache.private(render(request, "quiz/result.html", context))


def _suggestions(report):
    """Resources of the map that fit this profile, and counterweights (none before the map
    has content, none for a stage: its trajectory names the resources that help there)."""
    return atlas_suggestions.for_profiles([] if report.ladder else report.result.outcomes)


@require_safe
def share(request, share_token):
    result = get_object_or_404(Result, share_token=share_token)
    report = _report(result)
    context = {"quiz": report.quiz, "report": report, "chart": CHART, "shared": True}
    return pagecache.private(render(request, "quiz/share.html", context))


@require_safe
def result_pdf(request, token):
    from sonar.quiz import pdf  # WeasyPrint is slow to import: only when a card is asked for.

    result = get_object_or_404(Result, token=token)
    report = _report(result)
    # Rendering takes about a second of CPU: keep the card, keyed by everything it shows.
    stamp = "-".join(str(part) for part in report.quiz.stamp)
    key = f"quiz:card:{result.token}:{get_language()}:{stamp}"
    content = cache.get(key)
    if content is None:
        content = pdf.result_card(report, _share_url(result))
        cache.set(key, content, CARD_CACHE_SECONDS)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="sonar-resultat.pdf"'
    return pagecache.private(response)
