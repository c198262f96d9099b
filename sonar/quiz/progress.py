"""A visitor's progress through a questionnaire, kept in their session (no account needed).

The session holds, per questionnaire, the answers given so far and a random attempt id, and
the tokens of the results this browser obtained, oldest first, so a retake can be compared
with the previous result. Nothing here identifies a person.
"""

import hashlib
import json
import secrets

RESULTS_KEPT = 20


class Progress:
    def __init__(self, session, quiz):
        self.session = session
        self.quiz = quiz
        self.slot = f"quiz:{quiz.key}"

    @property
    def _state(self):
        return self.session.get(self.slot) or {}

    @property
    def answers(self):
        """The stored answers that still fit the questionnaire, by question key."""
        return self.quiz.known_answers(self._state.get("answers") or {})

    @property
    def started(self):
        return bool(self.answers)

    @property
    def complete(self):
        return len(self.answers) == len(self.quiz.questions)

    def first_unanswered(self):
        """1-based number of the first question without an answer, or None when all are."""
        answers = self.answers
        for number, question in enumerate(self.quiz.questions, start=1):
            if question.key not in answers:
                return number
        return None

    def answer(self, question_key, choice_key):
        state = dict(self._state)
        state.setdefault("attempt", secrets.token_hex(8))
        state["answers"] = {**(state.get("answers") or {}), question_key: choice_key}
        self.session[self.slot] = state

    def reset(self):
        """Start over: the answers go, the results obtained so far stay for comparison."""
        self.session.pop(self.slot, None)

    @property
    def seed(self):
        """What orders this respondent's choices (QuestionData.shuffled): drawn when they
        begin (`begin`), kept with their answers so that a refresh or a step back shows the
        same order. A visitor who came straight to a question without beginning has none
        (""): they get the order drawn for everyone, stable too."""
        return self._state.get("seed", "")

    def begin(self):
        """Draw this respondent's order of choices, unless they already have one."""
        state = dict(self._state)
        if not state.get("seed"):
            state["seed"] = secrets.token_hex(8)
            self.session[self.slot] = state

    def submission(self):
        """Digest of this attempt and its answers: the same answers submitted twice give the
        same digest, a retake (new attempt) gives a new one."""
        payload = json.dumps([self._state.get("attempt", ""), self.answers], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    # The browser's results ------------------------------------------------------------------

    @property
    def result_tokens(self):
        return list(self.session.get("quiz:results") or [])

    def remember(self, token):
        """Add a result at the end of the browser's list (moved there if it was already in)."""
        tokens = [t for t in self.result_tokens if t != token]
        tokens.append(token)
        self.session["quiz:results"] = tokens[-RESULTS_KEPT:]


def earlier_token(session, token):
    """The token of the result this browser obtained just before `token`, if any."""
    tokens = list(session.get("quiz:results") or [])
    if token not in tokens:
        return None
    index = tokens.index(token)
    return tokens[index - 1] if index > 0 else None
