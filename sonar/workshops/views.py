"""The workshop pages: create, animate, project, join and answer.

Plain forms and redirects, so every step works without JavaScript; live.js only makes the
pages follow the workshop by themselves (Server-Sent Events from `stream`). GET never writes.
"""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sonar.core import errors, pagecache
from sonar.core.links import absolute
from sonar.quiz import data as quiz_data
from sonar.workshops import access, actions, exports, kinds, live, results
from sonar.workshops.debrief import TeamReport
from sonar.workshops.forms import CreateForm, JoinForm, default_title
from sonar.workshops.models import Workshop, WorkshopTemplate

SECRET_SESSION_KEY = "workshops:new-secret"  # noqa: S105 - a session key name


@require_safe
@access.uses_database
def index(request):
    form = CreateForm(initial={"title": default_title(), "mode": Workshop.Mode.PACED})
    return _index(request, form)


def _index(request, form, status=200):
    return pagecache.private(
        render(
            request,
            "workshops/index.html",
            {
                "form": form,
                "retention_days": settings.SONAR_WORKSHOP_RETENTION_DAYS,
                "templates": WorkshopTemplate.objects.all(),
            },
            status=status,
        )
    )


@require_POST
@access.uses_database
def create(request):
    form = CreateForm(request.POST)
    if not form.is_valid():
        return _index(request, form, status=400)
    quiz = quiz_data.get(pk=form.cleaned_data["questionnaire"].pk)
    template = form.cleaned_data.get("template")
    steps = actions.build_steps(template.specs()) if template else None
    workshop, token = actions.create_workshop(
        quiz, form.cleaned_data["title"], form.cleaned_data["mode"], steps
    )
    # The secret link is shown once, on the next page; only its digest is stored.
    request.session[SECRET_SESSION_KEY] = {"code": workshop.code, "token": token}
    response = redirect("workshops:facilitate", code=workshop.code)
    access.set_token_cookie(response, access.FACILITATOR_COOKIE, workshop.code, token)
    return response


def _facilitated(request, code):
    """(workshop, None) when this browser holds the workshop's facilitator token; else (None,
    the French page that refuses it: 404 or 429 for the code, 403 for the token)."""
    try:
        return access.facilitated(request, code), None
    except access.CodeRefused as refused:
        return None, _refused_page(request, refused)
    except access.NotFacilitator:
        return None, errors.page(
            request,
            403,
            _(
                "Cette page est réservée à la personne qui anime l’atelier. Ouvrez le lien "
                "secret reçu à la création de l’atelier, dans ce navigateur."
            ),
        )


def _refused_page(request, refused):
    """The French page of a code refused by the one lookup (access.lookup)."""
    return access.remember_client(request, errors.page(request, refused.status, refused.message))


@require_safe
@access.uses_database
def secret_link(request, code, token):
    """The facilitator's secret link: it leaves a cookie and moves to an address without the
    token, so a projected screen never shows it."""
    try:
        workshop = access.lookup(request, code)
    except access.CodeRefused as refused:
        return _refused_page(request, refused)
    if not workshop.is_facilitator(token):
        return errors.page(request, 403, _("Ce lien d’animation n’est pas valable."))
    response = redirect("workshops:facilitate", code=workshop.code)
    access.set_token_cookie(response, access.FACILITATOR_COOKIE, workshop.code, token)
    return pagecache.private(response)


def _secret_url(request, code, token):
    return absolute(reverse("workshops:secret", args=[code, token]))


def _step_context(workshop):
    """The steps as the facilitator's page lists them, with the one being run."""
    steps = workshop.ordered_steps()
    answered = results.step_answered(workshop, steps)
    running = next((s for s in steps if s.position == workshop.current_step and not s.hidden), None)
    if not workshop.paced:
        running = None
    running_choices, running_answered = None, 0
    kind = kinds.get(running.kind) if running else None
    if kind is not None and not kind.questionnaire:
        counts = results.step_results(workshop).get(running.key, {})
        running_answered = answered.get(running.key, 0)
        running_choices = [
            {**c, "count": counts.get("counts", {}).get(c["key"], 0)} for c in kind.choices(running)
        ]
    return {
        "running_choices": running_choices,
        "running_answered": running_answered,
        "step_rows": [
            {
                "step": step,
                "label": kinds.get(step.kind).label() if kinds.get(step.kind) else step.kind,
                "answered": answered.get(step.key, 0),
                "choices": step.config.get("choices", []),
            }
            for step in steps
        ],
        "running_step": running,
        "running_position": running.position if running else None,
        "running_seconds": running.seconds_left() if running else None,
        "step_form": {"prompt": "", "choices": "", "multiple": False},
        "step_error": None,
        "step": None,
    }


def _live_context(workshop, quiz):
    snapshot = results.snapshot(workshop, quiz)
    report = None
    if workshop.revealed or workshop.purged_at:
        report = TeamReport(workshop, quiz, results.tally(workshop, quiz))
    # The snapshot knows whether the step being run is the questionnaire's.
    current = next((q for q in quiz.questions if q.key == snapshot["current"]), None)
    return {
        "workshop": workshop,
        "quiz": quiz,
        "snapshot": snapshot,
        "report": report,
        "current_question": current,
        "current_answered": snapshot["answered"].get(current.key, 0) if current else 0,
        "answered_rows": [
            (number, q, snapshot["answered"].get(q.key, 0))
            for number, q in enumerate(quiz.questions, start=1)
        ],
        "stream_url": reverse("workshops:stream", args=[workshop.code]),
        **_step_context(workshop),
    }


@require_safe
@access.uses_database
def facilitate(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    quiz = results.quiz_of(workshop)
    secret = request.session.get(SECRET_SESSION_KEY)
    new_secret = None
    if secret and secret.get("code") == workshop.code:
        new_secret = _secret_url(request, workshop.code, secret["token"])
        # Shown once: like a flash message, reading it takes it out of the session.
        del request.session[SECRET_SESSION_KEY]
    context = _live_context(workshop, quiz)
    context.update(_join_links(request, workshop))
    context["new_secret"] = new_secret
    return pagecache.private(render(request, "workshops/facilitate.html", context))


@require_POST
@access.uses_database
def control(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    quiz = results.quiz_of(workshop)
    action = request.POST.get("action", "")
    if action == "open" and "number" in request.POST and workshop.paced:
        # The question table's "open" buttons: a question of the workshop's questionnaire.
        try:
            number = int(request.POST.get("number", ""))
        except ValueError:
            number = 0
        if not 1 <= number <= len(quiz.questions):
            return errors.page(request, 400)
        step, _quiz = actions.questionnaire_step(workshop, quiz.questions[number - 1].key, quiz)
        position = step.position if step else workshop.current_step
        actions.change(workshop, current_step=position, current=number)
    elif action not in actions.CONTROL_ACTIONS:
        return errors.page(request, 400)
    else:
        try:
            actions.control(
                workshop,
                action,
                request.POST.get("step") or None,
                request.POST.get("seconds") if action == "timer" else None,
            )
        except actions.WorkshopError as refused:
            messages.error(request, refused.message)
    back = request.POST.get("back")
    if back == "projection":
        return redirect("workshops:projector", code=workshop.code)
    return redirect("workshops:facilitate", code=workshop.code)


@require_POST
@access.uses_database
def edit_steps(request, code):
    """The step editor: add a question, move, hide, show or remove a step. A step with answers
    is never removed: the page says to close or hide it."""
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    edit = request.POST.get("edit", "")
    key = request.POST.get("step", "")
    try:
        if edit == "add":
            spec = {
                "kind": "choice",
                "prompt": request.POST.get("prompt", ""),
                "choices": [c for c in request.POST.get("choices", "").splitlines() if c.strip()],
                "multiple": request.POST.get("multiple") == "1",
            }
            actions.add_step(workshop, spec)
        elif edit in ("up", "down"):
            step = actions.step_of_any(workshop, key)
            actions.move_step(workshop, key, step.position + (-1 if edit == "up" else 1))
        elif edit in ("hide", "show"):
            actions.set_hidden(workshop, key, edit == "hide")
        elif edit == "remove":
            actions.remove_step(workshop, key)
        else:
            return errors.page(request, 400)
    except actions.WorkshopError as problem:
        if edit != "add":
            messages.error(request, problem.message)
            return redirect("workshops:facilitate", code=workshop.code)
        # What was typed stays in the form, with what to change.
        quiz = results.quiz_of(workshop)
        context = _live_context(workshop, quiz)
        context.update(_join_links(request, workshop))
        context["new_secret"] = None
        context["step_form"] = {
            "prompt": request.POST.get("prompt", "")[:300],
            "choices": request.POST.get("choices", "")[:2000],
            "multiple": request.POST.get("multiple") == "1",
        }
        context["step_error"] = " ".join([problem.message, *problem.fields.values()])
        return pagecache.private(
            render(request, "workshops/facilitate.html", context, status=problem.status)
        )
    return redirect("workshops:facilitate", code=workshop.code)


@require_POST
@access.uses_database
def duplicate(request, code):
    """A new workshop with the same steps; its secret link is shown once, as at creation."""
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    copy, token = actions.duplicate(workshop)
    request.session[SECRET_SESSION_KEY] = {"code": copy.code, "token": token}
    response = redirect("workshops:facilitate", code=copy.code)
    access.set_token_cookie(response, access.FACILITATOR_COOKIE, copy.code, token)
    return response


@require_safe
@access.uses_database
def projector(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    quiz = results.quiz_of(workshop)
    context = _live_context(workshop, quiz)
    context.update(_join_links(request, workshop))
    return pagecache.private(render(request, "workshops/projector.html", context))


def _join_links(request, workshop):
    """The room link (with its key, access.room_link) behind the QR code and the link to
    share; the plain address to read off the projector and type."""
    link = access.room_link(workshop)
    return {
        "join_url": link,
        "typed_url": absolute(workshop.get_absolute_url()),
        "qr": exports.qr_svg(link),
    }


@require_safe
def guide_pdf(request, key):
    """The facilitator guide of a déroulé: each step with its timing, script and discussion
    questions, to print before the session."""
    template = WorkshopTemplate.objects.filter(key=key).first()
    if template is None:
        return errors.page(request, 404, _("Ce déroulé n’existe pas."))
    response = HttpResponse(exports.guide_pdf(template), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="guide-{template.key}.pdf"'
    return response


@require_safe
@access.uses_database
def export_aggregates(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    return pagecache.private(exports.aggregates_csv(workshop))


@require_safe
@access.uses_database
def export_participants(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    return pagecache.private(exports.participants_csv(workshop))


@require_safe
@access.uses_database
def report_pdf(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    content = exports.report_pdf(workshop)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="atelier-{workshop.code}.pdf"'
    return pagecache.private(response)


# Participants.


def _wrong_code(request, form, refused):
    form.add_error("code", _wrong_code_message(refused))
    return access.remember_client(request, _join_page(request, form, refused.status))


def _wrong_code_message(refused):
    if refused.status == 429:
        return refused.message
    return _(
        "Aucun atelier ne porte ce code. Vérifiez-le auprès de la personne qui anime "
        "(les codes n’utilisent ni O, ni 0, ni I, ni 1, ni L)."
    )


def _join_page(request, form, status=200):
    context = {
        "form": form,
        "limit": access.WRONG_CODE_LIMIT,
        "client_limit": access.CLIENT_LIMIT,
        "minutes": access.WRONG_CODE_WINDOW_SECONDS // 60,
    }
    return pagecache.private(render(request, "workshops/join.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
@access.uses_database
def join(request):
    if request.method != "POST":
        form = JoinForm(initial={"code": request.GET.get("code", "")[:12]})
        return _join_page(request, form)
    form = JoinForm(request.POST)
    if not form.is_valid():
        return _join_page(request, form, 400)
    try:
        workshop = access.lookup(request, form.cleaned_data["code"])
    except access.CodeRefused as refused:
        return _wrong_code(request, form, refused)
    return _join(request, workshop, form.cleaned_data["pseudonym"])


def _join(request, workshop, pseudonym):
    if access.participant(request, workshop):
        return redirect(workshop)
    if not workshop.is_open:
        messages.error(request, _("Cet atelier est clos : il ne reçoit plus de participants."))
        return redirect("workshops:join")
    _participant, token = actions.join(workshop, pseudonym)
    response = redirect(workshop)
    access.set_token_cookie(response, access.PARTICIPANT_COOKIE, workshop.code, token)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@access.uses_database
def participant(request, code):
    """The participant's one page: the join button, then the question, the wait, the results."""
    room_key = (request.POST if request.method == "POST" else request.GET).get(
        access.ROOM_KEY_PARAMETER, ""
    )
    try:
        workshop = access.lookup(request, code, room_key)
    except access.CodeRefused as refused:
        return _wrong_code(request, JoinForm(data={"code": code}), refused)
    if request.method == "POST":
        return _join(request, workshop, request.POST.get("pseudonym", "")[:40])
    person = access.participant(request, workshop)
    if person is None:
        context = {"workshop": workshop, "room_key": room_key[:64]}
        return pagecache.private(render(request, "workshops/welcome.html", context))
    quiz = results.quiz_of(workshop)
    answers = quiz.known_answers(person.answers_by_question())
    context = _live_context(workshop, quiz)
    context.update(
        {
            "person": person,
            "answers": answers,
            "saved": request.GET.get("enregistre") == "1",
            "error": None,
        }
    )
    context.update(_participant_step(request, workshop, quiz, answers))
    context.update(_participant_choice_step(request, workshop, person, context))
    if context["report"] is not None and answers:
        score = quiz.score(answers)
        context["mine"] = [quiz.outcome(k) for k in score.winners]
    return pagecache.private(render(request, "workshops/participant.html", context))


def _participant_choice_step(request, workshop, person, context, wanted=None):
    """The facilitator's question this participant sees now, if any: paced, the step being run
    when it is not the questionnaire; self-paced, once the questionnaire is done, the first
    open question they have not answered (or the one asked for)."""
    none = {"step": None}
    if not workshop.is_open or context.get("report") is not None:
        return none
    steps = [s for s in workshop.ordered_steps() if not s.hidden]
    own = [s for s in steps if not getattr(kinds.get(s.kind), "questionnaire", None)]
    if not own:
        return none
    answered = dict(person.step_answers.values_list("step_id", "value"))
    if workshop.paced:
        running = next((s for s in steps if s.position == workshop.current_step), None)
        if running is None or running not in own:
            return none
        # The questionnaire's question of the same number is not this step's.
        context["question"] = None
        if not workshop.current:
            return none
        step = running
    else:
        wanted = wanted or request.GET.get("etape")
        step = next((s for s in own if s.key == wanted), None)
        if step is None:
            if context.get("question") is not None:
                return none
            step = next((s for s in own if s.pk not in answered and s.is_open), None)
        if step is None:
            return none
    if not step.is_open:
        return none
    context["question"] = None
    return {
        "step": step,
        "step_number": steps.index(step) + 1,
        "step_total": len(steps),
        "step_selected": (answered.get(step.pk) or {}).get("choices", []),
        "step_seconds": step.seconds_left(),
        "step_error": None,
    }


def _participant_step(request, workshop, quiz, answers):
    """Which question this participant sees now, if any."""
    total = len(quiz.questions)
    if not workshop.is_open:
        return {"question": None, "number": None}
    if workshop.paced:
        number = workshop.current or None
    else:
        try:
            number = int(request.GET.get("question", ""))
        except ValueError:
            number = next(
                (n for n, q in enumerate(quiz.questions, 1) if q.key not in answers), None
            )
        if number is not None and not 1 <= number <= total:
            number = None
    question = quiz.question_at(number) if number else None
    return {
        "question": question,
        "number": number,
        "total": total,
        "selected": answers.get(question.key) if question else None,
        "next_number": number + 1 if number and number < total else None,
    }


@require_POST
@access.uses_database
def answer(request, code):
    try:
        workshop = access.lookup(request, code)
    except access.CodeRefused as refused:
        return _refused_page(request, refused)
    person = access.participant(request, workshop)
    if person is None:
        return errors.page(request, 403, _("Rejoignez d’abord l’atelier avec son code."))
    question_key = request.POST.get("question", "")
    choice_key = request.POST.get("choice", "")
    quiz = results.quiz_of(workshop)
    url = reverse("workshops:participant", args=[workshop.code])
    number = next((n for n, q in enumerate(quiz.questions, 1) if q.key == question_key), None)
    try:
        actions.answer(workshop, person, question_key, choice_key, quiz)
    except actions.WorkshopError as problem:
        if problem.status == 400 and number:
            return _answer_again(request, workshop, quiz, person, number)
        messages.error(request, problem.message)
        return redirect(url)
    if not workshop.paced:
        answers = person.answers_by_question()
        following = next((n for n, q in enumerate(quiz.questions, 1) if q.key not in answers), None)
        if following is not None:
            return redirect(f"{url}?question={following}&enregistre=1")
    return redirect(f"{url}?enregistre=1")


@require_POST
@access.uses_database
def answer_step(request, code):
    """A participant's answer to a facilitator's question; refused with the question shown
    again and what to do when it does not fit."""
    try:
        workshop = access.lookup(request, code)
    except access.CodeRefused as refused:
        return _refused_page(request, refused)
    person = access.participant(request, workshop)
    if person is None:
        return errors.page(request, 403, _("Rejoignez d’abord l’atelier avec son code."))
    url = reverse("workshops:participant", args=[workshop.code])
    key = request.POST.get("step", "")
    picked = [c for c in request.POST.getlist("choice") if c]
    try:
        step = actions.step_of(workshop, key)
        multiple = step.config.get("multiple", False)
        body = {"choices": picked} if multiple else ({"choice": picked[0]} if picked else {})
        if not multiple and len(picked) > 1:
            body = {"choices": picked}
        actions.answer_step(workshop, person, key, body)
    except actions.WorkshopError as problem:
        if problem.status != 400:
            messages.error(request, problem.message)
            return redirect(url)
        quiz = results.quiz_of(workshop)
        context = _live_context(workshop, quiz)
        context.update({"person": person, "answers": {}, "saved": False, "error": None})
        context.update(_participant_choice_step(request, workshop, person, context, key))
        context["step_error"] = problem.message
        if context.get("step") is None:
            messages.error(request, problem.message)
            return redirect(url)
        return pagecache.private(render(request, "workshops/participant.html", context, status=400))
    return redirect(f"{url}?enregistre=1")


def _answer_again(request, workshop, quiz, person, number):
    answers = quiz.known_answers(person.answers_by_question())
    context = _live_context(workshop, quiz)
    question = quiz.question_at(number)
    context.update(
        {
            "person": person,
            "answers": answers,
            "saved": False,
            "question": question,
            "number": number,
            "total": len(quiz.questions),
            "selected": None,
            "next_number": None,
            "error": _("Choisissez une réponse pour l’enregistrer."),
        }
    )
    return pagecache.private(render(request, "workshops/participant.html", context, status=400))


# Live.


@access.uses_database
def _stream_start(request, code):
    """(code, full, snapshot) for an existing workshop, in one database visit, or the refusal
    of its code; facilitators (`full`) get every change, the others only changes of stage."""
    try:
        workshop = access.lookup(request, code)
    except access.CodeRefused as refused:
        return refused
    snapshot = live.Snapshot(results.snapshot(workshop))
    return workshop.code, access.is_facilitator(request, workshop), snapshot


async def stream(request, code):
    """Server-Sent Events: the workshop's full snapshot, each time it changes, with its version
    as the event id; `Last-Event-ID` (sent by browsers on reconnection) is honoured."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    try:
        last_id = int(request.headers.get("Last-Event-ID", "") or 0)
    except ValueError:
        last_id = 0
    # Relaying starts before the snapshot is read, so nothing published after it is missed.
    streaming = isinstance(request, ASGIRequest) and await live.hub.ensure_listener()
    started = await sync_to_async(_stream_start)(request, code)
    if isinstance(started, access.CodeRefused):
        return errors.api_error(started.message, started.status)
    workshop_code, full, snapshot = started
    if request.method == "HEAD":
        # The headers only: a HEAD must not hold a live stream open.
        events = []
    elif streaming:
        events = live.stream(workshop_code, full, snapshot, last_id)
    else:
        # Under WSGI (runserver, a sync server) a stream would hold a worker for good, and
        # while Redis is away it would miss other processes' changes: send the current
        # snapshot and end; the browser reconnects after the retry hint, like polling.
        events = [f"retry: {live.RETRY_MILLISECONDS}\n\n"]
        if snapshot.version > last_id:
            events.append(live.event(snapshot))
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    # Tells nginx-like proxies not to buffer the stream.
    response["X-Accel-Buffering"] = "no"
    return response
