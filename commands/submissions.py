"""The submissions service: submit code, start and judge attempts, rejudge, record solves."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from commands.app import CodeQuest
from commands.errors import ConflictError, InvalidInputError, NotFoundError
from domain.content import Problem
from domain.submissions import Solve, Submission, Verdict, xp_for

MAX_CODE_CHARS = 10_000
JAVA_MAIN = re.compile(r"\bpublic\s+(?:final\s+)?class\s+Main\b")
COMMIT_RETRIES = 3
KNOWN_SOLVES = 100_000  # Solve ids remembered per process before the memory starts over


@dataclass(frozen=True)
class ProblemFacts:
    """What submitting and solving need to know about a problem."""

    id: UUID
    title: str
    published: bool
    difficulty: int
    topic_ids: list[UUID]
    function_harness: bool


NO_PROBLEM = ProblemFacts(UUID(int=0), "", True, 1, [], False)


@dataclass(frozen=True)
class Submitted:
    submission_id: UUID
    position: int


@dataclass(frozen=True)
class JudgingJob:
    """What the judge needs from a submission to judge one attempt."""

    submission_id: UUID
    user_id: UUID
    problem_id: UUID
    language: str
    code: str
    attempt: int
    judged: bool


@dataclass(frozen=True)
class RecordedVerdict:
    status: str
    xp: int
    first_solve: bool
    position: int


@dataclass(frozen=True)
class Rejudged:
    submission_ids: list[UUID]
    attempts: list[int]
    position: int


def problem_facts(problem: Problem) -> ProblemFacts:
    return ProblemFacts(
        id=problem.id,
        title=problem.title,
        published=problem.published,
        difficulty=int(problem.difficulty),
        topic_ids=list(problem.topic_ids),
        function_harness=bool(problem.spec.get("harness")),
    )


class Submissions:
    """Submissions on the one log; every attempt gets exactly one final verdict."""

    def __init__(self, app: CodeQuest, languages: Collection[str]) -> None:
        self.app = app
        self.languages = frozenset(languages)
        # Ids of Solves seen in the log: a Solve is never removed, so a later ACCEPTED verdict
        # of the same learner and problem needs no lookup to know it is not the first.
        self._known_solves: set[UUID] = set()

    def submit(
        self,
        user_id: UUID,
        problem_id: UUID,
        language: str,
        code: str,
        contest_id: UUID | None = None,
    ) -> Submitted:
        """Queue code for judging (the dispatcher enqueues the job).

        Raises:
            NotFoundError: no published problem with this id.
            InvalidInputError: unknown language, blank or oversized code, Java without Main.
        """
        problem = self.published_problem(problem_id)
        self.check_code(language, code, problem)
        submission = Submission(
            id=uuid4(),
            user_id=user_id,
            problem_id=problem_id,
            language=language,
            code_sha256=hashlib.sha256(code.encode()).hexdigest(),
            code_length=len(code),
            contest_id=contest_id,
            code=code,
            problem_title=problem.title,
        )
        return Submitted(submission.id, self.app.commit(submission))

    def published_problem(self, problem_id: UUID) -> ProblemFacts:
        """The facts of a published problem, else NotFoundError (never 403: no leak)."""
        problem = self.app.find(problem_id)
        if not isinstance(problem, Problem):
            raise NotFoundError("problem not found")
        facts = problem_facts(problem)
        if not facts.published:
            raise NotFoundError("problem not found")
        return facts

    def check_code(self, language: str, code: str, problem: ProblemFacts) -> None:
        """Raises InvalidInputError for code the judge would refuse before running it."""
        if language not in self.languages:
            raise InvalidInputError(f"unsupported language {language!r}", field="language")
        if not code.strip():
            raise InvalidInputError("code cannot be empty", field="code")
        if len(code) > MAX_CODE_CHARS:
            raise InvalidInputError("code is longer than 10000 characters", field="code")
        if language == "java17" and not problem.function_harness and not JAVA_MAIN.search(code):
            raise InvalidInputError("a Java program must declare `public class Main`", field="code")

    def check_run(self, language: str, code: str, problem_id: UUID | None) -> None:
        """Validate a run on custom input as a submission would be (nothing is recorded).

        Raises:
            NotFoundError: no published problem with this id.
            InvalidInputError: unknown language, blank or oversized code, Java without Main.
        """
        problem = self.published_problem(problem_id) if problem_id is not None else NO_PROBLEM
        self.check_code(language, code, problem)

    def job(self, submission_id: UUID) -> JudgingJob:
        """The submission as the judge needs it. Raises NotFoundError."""
        return self.judging(submission_id).job

    def judging(self, submission_id: UUID) -> JudgingHandle:
        """One delivery's hold on a submission: loaded once for its job, start and verdict.

        Raises:
            NotFoundError: no such submission.
        """
        return JudgingHandle(self, self.app.load(submission_id, "submission"))

    def start_attempt(self, submission_id: UUID, attempt: int) -> int:
        """Mark the attempt RUNNING; the position (0 when it was already running).

        Raises:
            StaleAttemptError, VerdictAlreadyRecordedError: nothing is left to judge.
        """
        return self.judging(submission_id).start(attempt)

    def record_verdict(
        self, submission_id: UUID, attempt: int, verdict: Verdict
    ) -> RecordedVerdict:
        """Record the attempt's verdict; a first ACCEPTED one records the Solve (and its XP).

        Raises:
            StaleAttemptError, VerdictAlreadyRecordedError: the attempt cannot take a verdict.
        """
        return self.judging(submission_id).record_verdict(attempt, verdict)

    def _record_verdict(self, sub: Submission, attempt: int, verdict: Verdict) -> RecordedVerdict:
        solve = self._new_solve(sub, verdict) if verdict.status == "ACCEPTED" else None
        xp = solve.xp if solve is not None else 0
        sub.record_verdict(attempt, verdict, xp=xp, first_solve=solve is not None)
        position = self.app.commit(sub, solve)
        if solve is not None:
            self._known_solves.add(solve.id)
        return RecordedVerdict(verdict.status, xp, solve is not None, position)

    def _new_solve(self, sub: Submission, verdict: Verdict) -> Solve | None:
        if self._solve_exists(Solve.create_id(sub.user_id, sub.problem_id)):
            return None
        problem = self._problem(sub.problem_id)
        return Solve(
            user_id=sub.user_id,
            problem_id=sub.problem_id,
            submission_id=sub.id,
            difficulty=problem.difficulty,
            topic_ids=problem.topic_ids,
            xp=xp_for(problem.difficulty),
        )

    def _problem(self, problem_id: UUID) -> ProblemFacts:
        return problem_facts(self.app.load(problem_id, "problem"))

    def rejudge(self, submission_ids: Iterable[UUID], requested_by: str) -> Rejudged:
        """Open a new attempt for each submission (history kept); one commit for all.

        Raises:
            NotFoundError: one of the submissions does not exist.
        """
        subs: list[Submission] = [self.app.load(i, "submission") for i in submission_ids]
        attempts = [sub.request_rejudge(requested_by) for sub in subs]
        position = self.app.commit(*subs) if subs else 0
        return Rejudged([s.id for s in subs], attempts, position)

    def solved(self, user_id: UUID, problem_id: UUID) -> bool:
        return self._solve_exists(Solve.create_id(user_id, problem_id))

    def _solve_exists(self, solve_id: UUID) -> bool:
        if solve_id in self._known_solves:
            return True
        if self.app.find(solve_id) is None:
            return False
        if len(self._known_solves) >= KNOWN_SOLVES:
            self._known_solves.clear()
        self._known_solves.add(solve_id)
        return True


class JudgingHandle:
    """A submission loaded once for one delivery of its judging job.

    `start` and `record_verdict` save from the aggregate already in hand; the event store's
    version check still refuses a save over anything committed since the load (a rejudge, or a
    verdict from another delivery), and such a conflict reloads and decides again.
    """

    def __init__(self, service: Submissions, sub: Submission) -> None:
        self._service = service
        self._held: Submission | None = sub
        self.job = JudgingJob(
            submission_id=sub.id,
            user_id=sub.user_id,
            problem_id=sub.problem_id,
            language=sub.language,
            code=sub.code,
            attempt=sub.attempt,
            judged=sub.is_judged(sub.attempt),
        )

    def start(self, attempt: int) -> int:
        """Mark the attempt RUNNING; the position (0 when it was already running).

        Raises:
            StaleAttemptError, VerdictAlreadyRecordedError: nothing is left to judge.
        """
        for _ in range(COMMIT_RETRIES):
            sub = self._take()
            if not sub.start(attempt):
                self._held = sub
                return 0
            try:
                position = self._service.app.commit(sub)
            except IntegrityError:
                continue  # saved by someone since the load (a rejudge, another delivery)
            self._held = sub  # saved: its version is the stored one
            return position
        raise ConflictError("the submission changed while starting its attempt")

    def record_verdict(self, attempt: int, verdict: Verdict) -> RecordedVerdict:
        """Record the attempt's verdict; a first ACCEPTED one records the Solve (and its XP).

        Raises:
            StaleAttemptError, VerdictAlreadyRecordedError: the attempt cannot take a verdict.
        """
        for _ in range(COMMIT_RETRIES):
            try:
                return self._service._record_verdict(self._take(), attempt, verdict)
            except IntegrityError:
                continue  # a concurrent verdict or solve: reload and decide again
        raise ConflictError("the submission changed while recording its verdict")

    def _take(self) -> Submission:
        """The aggregate in hand, else a fresh load; a failed save never leaves one in hand."""
        sub, self._held = self._held, None
        if sub is None:
            sub = self._service.app.load(self.job.submission_id, "submission")
        return sub
