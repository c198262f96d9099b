"""The workshop pages: create, animate, project, join and answer.

Plain forms and redirects, so every step works without JavaScript; live.js only makes the
pages follow the workshop by themselves (Server-Sent Events from `stream`). GET never writes.
"""

import time

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
from sonar.quiz.models import Result as QuizResult
from sonar.quiz.report import CHART as QUIZ_CHART
from sonar.quiz.report import Report as QuizReport
from sonar.workshops import access, actions, exports, kinds, live, pdf, results
from sonar.workshops.debrief import TeamReport
from sonar.workshops.forms import CreateForm, EmailForm, JoinForm, default_title
from sonar.workshops.models import Workshop, WorkshopTemplate
from sonar.workshops.this_browser import created_here, remember_created

SECRET_SESSION_KEY = "workshops:new-secret"  # noqa: S105 - a session key name
# The last workshop this browser made, so that the same form sent again leads back to it.
MADE_SESSION_KEY = "workshops:made"
SENT_AGAIN_SECONDS = 600


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
                "mine": Workshop.objects.facilitated_by(request.user),
                "created_here": created_here(request),
                # The operators' note on wrong codes, for the facilitator (README: Ateliers).
                "limit": access.WRONG_CODE_LIMIT,
                "client_limit": access.CLIENT_LIMIT,
                "minutes": access.WRONG_CODE_WINDOW_SECONDS // 60,
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
    same = _sent_again(request, quiz, form.cleaned_data)
    if same is not None:
        return redirect("workshops:facilitate", code=same.code)
    template = form.cleaned_data.get("template")
    steps = actions.build_steps(template.specs()) if template else None
    workshop, token = actions.create_workshop(
        quiz, form.cleaned_data["title"], form.cleaned_data["mode"], steps
    )
    if request.user.is_authenticated:
        actions.make_owner(workshop, request.user)
    request.session[MADE_SESSION_KEY] = {
        "form": _form_print(quiz, form.cleaned_data),
        "code": workshop.code,
        "at": time.time(),
    }
    # The secret link is shown once, on the next page; only its digest is stored.
    request.session[SECRET_SESSION_KEY] = {"code": workshop.code, "token": token}
    remember_created(request, workshop)
    response = redirect("workshops:facilitate", code=workshop.code)
    access.set_token_cookie(response, access.FACILITATOR_COOKIE, workshop.code, token)
    return response


def _form_print(quiz, cleaned):
    return [quiz.id, cleaned["title"].strip(), cleaned["mode"]]


def _sent_again(request, quiz, cleaned):
    """The workshop this browser made from the same form within ten minutes (the form sent again
    after Back or a refresh), if it still holds its facilitator token; else None."""
    made = request.session.get(MADE_SESSION_KEY)
    if not made or made.get("form") != _form_print(quiz, cleaned):
        return None
    if time.time() - made.get("at", 0) > SENT_AGAIN_SECONDS:
        return None
    try:
        return access.facilitated(request, made["code"])
    except (access.CodeRefused, access.NotFacilitator):
        return None


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
    if not access.valid_facilitator_token(workshop, token):
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
    # "Next" goes one question further in the running step, else to the next shown step.
    later = any(s.position > workshop.current_step and not s.hidden for s in steps)
    if kind is not None and kind.questionnaire:
        at_last = workshop.current >= len(quiz_data.get(kind.questionnaire).questions)
    else:
        at_last = True
    return {
        "can_go_next": not (at_last and not later),
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
    if new_secret:
        initial = {"email": request.user.email} if request.user.is_authenticated else None
        context["send_form"] = EmailForm(initial=initial)
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
    context.update(_wall(request, workshop, context["report"]))
    return pagecache.private(render(request, "workshops/projector.html", context))


# The slides of the reveal after the questions' own, in this order.
TEAM_SLIDES = ("team", "debrief")


def _wall(request, workshop, report):
    """What the projector shows now: its phase and, once revealed, one slide at a time (each
    question's distribution, then the team's profile, then the debrief), picked by `vue` in
    the address so the projector is driven by its own previous and next links, or the keys."""
    contrast = request.GET.get("contraste") == "1"
    if report is not None:
        phase = "reveal"
    elif not workshop.is_open:
        phase = "closed"
    elif workshop.paced and workshop.current:
        phase = "question"
    else:
        phase = "lobby"
    wall = {"phase": phase, "contrast": contrast}
    base = reverse("workshops:projector", args=[workshop.code])

    def address(slide=None, high_contrast=contrast):
        query = []
        if slide:
            query.append(f"vue={slide}")
        if high_contrast:
            query.append("contraste=1")
        return f"{base}?{'&'.join(query)}" if query else base

    slide = None
    if phase == "reveal":
        slides = [("question", item) for item in report.questions]
        slides += [(kind, None) for kind in TEAM_SLIDES]
        try:
            slide = int(request.GET.get("vue", ""))
        except ValueError:
            slide = 1
        slide = min(max(slide, 1), len(slides))
        kind, item = slides[slide - 1]
        wall.update(
            {
                "slide": slide,
                "slides": len(slides),
                "slide_kind": kind,
                "item": item,
                "previous_url": address(slide - 1) if slide > 1 else None,
                "next_url": address(slide + 1) if slide < len(slides) else None,
            }
        )
    wall["contrast_url"] = address(slide, not contrast)
    wall["here_url"] = address(slide)
    return wall


def _join_links(request, workshop):
    """The room link (with its key, access.room_link) behind the QR code and the link to
    share; the plain address to read off the projector and type."""
    link = access.room_link(workshop)
    typed = absolute(workshop.get_absolute_url())
    # Read off a wall: no scheme, and the code kept apart so a line never breaks inside it.
    short = typed.split("://", 1)[-1].rstrip("/")
    return {
        "join_url": link,
        "typed_start": short[: -len(workshop.code)],
        "qr": exports.qr_svg(link),
    }


@require_safe
def guide_pdf(request, key):
    """The facilitator guide of a déroulé: each step with its timing, script and discussion
    questions, to print before the session."""
    template = WorkshopTemplate.objects.filter(key=key).first()
    if template is None:
        return errors.page(request, 404, _("Ce déroulé n’existe pas."))
    response = HttpResponse(pdf.guide(template), content_type="application/pdf")
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
def export_xlsx(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    return pagecache.private(exports.xlsx_response(workshop))


@require_safe
@access.uses_database
def report_pdf(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    content = pdf.report(workshop)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="atelier-{workshop.code}.pdf"'
    return pagecache.private(response)


@require_safe
@access.uses_database
def debrief_pack(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    response = HttpResponse(pdf.pack(workshop), content_type="application/pdf")
    name = f"atelier-{workshop.code}-restitution.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
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
    return pagecache.private(render(request, "workshops/join.html", {"form": form}, status=status))


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
    """The participant's one page: the question (or the wait), then their result and the
    team's. Someone arriving by the QR code or the link sees the first screen at once, with
    the optional pseudonym: they join when they answer, or with the join button while they
    wait (GET never writes)."""
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
    quiz = results.quiz_of(workshop)
    answers = quiz.known_answers(person.answers_by_question()) if person else {}
    context = _live_context(workshop, quiz)
    context.update(
        {
            "person": person,
            "room_key": room_key[:64],
            "answers": answers,
            "saved": person is not None and request.GET.get("enregistre") == "1",
            "error": None,
            "pseudonym": "",
        }
    )
    context.update(_participant_step(request, workshop, quiz, answers, person))
    context.update(_participant_choice_step(request, workshop, person, context))
    context.update(_own_result(workshop, quiz, answers, context["report"]))
    return pagecache.private(render(request, "workshops/participant.html", context))


@require_POST
@access.uses_database
def keep_result(request, code):
    """A link to keep the participant's own result: their answers only, as a solo result."""
    try:
        workshop = access.lookup(request, code)
    except access.CodeRefused as refused:
        return _refused_page(request, refused)
    person = access.participant(request, workshop)
    if person is None:
        return errors.page(request, 403, _("Rejoignez d’abord l’atelier avec son code."))
    quiz = results.quiz_of(workshop)
    if not (workshop.revealed or workshop.purged_at) or not person.answers_by_question():
        messages.error(request, _("Votre résultat se garde une fois les réponses révélées."))
        return redirect(workshop)
    kept = actions.keep_result(workshop, person, quiz)
    return redirect("quiz:result", token=kept.token)


def _own_result(workshop, quiz, answers, team_report):
    """Once the answers are revealed, the participant's own result read as the solo quiz
    reads it (the journal's profile texts), from their answers only; kept nowhere until they
    ask for a link."""
    if team_report is None or not answers:
        return {"mine": None}
    score = quiz.score(answers)
    result = QuizResult(
        questionnaire_id=quiz.id, answers=answers, counts=score.counts, outcomes=list(score.winners)
    )
    return {"mine": QuizReport(quiz, result), "chart": QUIZ_CHART}


def _in_their_order(quiz, question, person):
    """On a ladder, the choices in the order drawn for this participant (stable for them),
    never the rising order of the file, which would give the "best" answer away."""
    if question is None or not quiz.ladder:
        return question
    # Someone who arrived by the QR code has no participant yet: the room's own order.
    seed = f"participant-{person.pk}" if person is not None else f"room-{quiz.id}"
    return question.shuffled(seed)


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
    answered = (
        dict(person.step_answers.values_list("step_id", "value")) if person is not None else {}
    )
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


def _participant_step(request, workshop, quiz, answers, person):
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
    question = _in_their_order(quiz, quiz.question_at(number) if number else None, person)
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
    """Keep a participant's answer. Someone not in the workshop yet (arrived by the QR code or
    the link) joins with it, under the pseudonym they may have typed beside the question."""
    try:
        workshop = access.lookup(request, code, request.POST.get(access.ROOM_KEY_PARAMETER, ""))
    except access.CodeRefused as refused:
        return _refused_page(request, refused)
    question_key = request.POST.get("question", "")
    choice_key = request.POST.get("choice", "")
    pseudonym = request.POST.get("pseudonym", "")[:40]
    quiz = results.quiz_of(workshop)
    url = reverse("workshops:participant", args=[workshop.code])
    number = next((n for n, q in enumerate(quiz.questions, 1) if q.key == question_key), None)
    person = access.participant(request, workshop)
    token = None
    if person is None:
        # Only the first screen's form joins (it says so with `rejoindre`): an answer sent
        # from anywhere else by someone not in the workshop is refused, as it always was.
        question = quiz.question_at(number) if number else None
        if question is None or request.POST.get("rejoindre") != "1":
            return errors.page(request, 403, _("Rejoignez d’abord l’atelier avec son code."))
        if question.choice(choice_key) is None:
            return _answer_again(request, workshop, quiz, None, number, pseudonym)
        if not workshop.is_open:
            messages.error(request, _("Cet atelier est clos : il ne reçoit plus de participants."))
            return redirect(url)
        person, token = actions.join(workshop, pseudonym)
    response = _answered(request, workshop, quiz, person, question_key, choice_key, number)
    if token is not None:
        access.set_token_cookie(response, access.PARTICIPANT_COOKIE, workshop.code, token)
    return response


def _answered(request, workshop, quiz, person, question_key, choice_key, number):
    url = reverse("workshops:participant", args=[workshop.code])
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
        workshop = access.lookup(request, code, request.POST.get(access.ROOM_KEY_PARAMETER, ""))
    except access.CodeRefused as refused:
        return _refused_page(request, refused)
    person = access.participant(request, workshop)
    url = reverse("workshops:participant", args=[workshop.code])
    token = None
    if person is None:
        # As for a questionnaire's question: only the first screen's form joins.
        if request.POST.get("rejoindre") != "1":
            return errors.page(request, 403, _("Rejoignez d’abord l’atelier avec son code."))
        if not workshop.is_open:
            messages.error(request, _("Cet atelier est clos : il ne reçoit plus de participants."))
            return redirect(url)
        person, token = actions.join(workshop, request.POST.get("pseudonym", "")[:40])
    response = _step_answered(request, workshop, person, url)
    if token is not None:
        access.set_token_cookie(response, access.PARTICIPANT_COOKIE, workshop.code, token)
    return response


def _step_answered(request, workshop, person, url):
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


def _answer_again(request, workshop, quiz, person, number, pseudonym=""):
    """The question again, with the message of an answer missing; what was typed stays."""
    answers = quiz.known_answers(person.answers_by_question()) if person else {}
    context = _live_context(workshop, quiz)
    question = _in_their_order(quiz, quiz.question_at(number), person)
    context.update(
        {
            "person": person,
            "room_key": request.POST.get(access.ROOM_KEY_PARAMETER, "")[:64],
            "answers": answers,
            "saved": False,
            "question": question,
            "number": number,
            "total": len(quiz.questions),
            "selected": None,
            "next_number": None,
            "error": _("Choisissez une réponse pour l’enregistrer."),
            "pseudonym": pseudonym,
            "mine": None,
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
