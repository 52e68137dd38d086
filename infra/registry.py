"""What the composition root assembles: command services, projectors and job actors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infra.broker import ActorSpec
    from infra.container import Container
    from projections.runtime import Projector


def command_services(c: Container) -> dict[str, Any]:
    """One service per bounded context, all on the one event log."""
    services: dict[str, Any] = {}
    from commands.accounts import Accounts

    services["accounts"] = Accounts(c.log, c.hasher, c.clock, c.box, c.settings.public_url)
    from commands.erasure import Erasure

    services["erasure"] = Erasure(c.log, services["accounts"], c.extra["subject_keys"])
    from commands.content import Content

    services["content"] = Content(c.log, c.box)
    from commands.progress import Progress
    from commands.quizzes import Quizzes

    services["progress"] = Progress(c.log, c.clock)
    services["quizzes"] = Quizzes(c.log, c.clock)
    from commands.submissions import Submissions
    from judge.languages import LANGUAGES

    services["submissions"] = Submissions(c.log, LANGUAGES)
    from commands.achievements import Achievements

    services["achievements"] = Achievements(c.log)
    from commands.notebook import Notebook
    from commands.reviews import Reviews

    services["reviews"] = Reviews(c.log)
    services["notebook"] = Notebook(c.log)
    from commands.forum import Forum
    from commands.interviews import Interviews
    from commands.organizations import Organizations

    services["interviews"] = Interviews(c.log, c.clock)
    services["forum"] = Forum(c.log, c.clock)
    services["organizations"] = Organizations(c.log, c.clock)
    return services


def projectors() -> list[type[Projector]]:
    """Every read model and dispatcher, in the order runners start."""
    found: list[type[Projector]] = []
    from projections.audit_chain import AuditChainProjector

    found.append(AuditChainProjector)
    from projections.mail_dispatch import AccountMailDispatcher
    from projections.users import UsersProjector

    found += [UsersProjector, AccountMailDispatcher]
    from judge.dispatch import JudgeDispatcher
    from projections.submission_status import SubmissionStatusProjector

    found += [SubmissionStatusProjector, JudgeDispatcher]
    from projections.achievements import AchievementsPolicy
    from projections.dashboard import DashboardProjector
    from projections.leaderboard import LeaderboardProjector
    from projections.learning_profile import LearningProfileProjector
    from projections.problem_stats import ProblemStatsProjector

    found += [ProblemStatsProjector, DashboardProjector, LeaderboardProjector]
    found += [LearningProfileProjector, AchievementsPolicy]
    from projections.catalog import CatalogProjector
    from projections.learner_content import LearnerContentProjector

    found += [CatalogProjector, LearnerContentProjector]
    from ai.dispatch import ReviewDispatcher
    from projections.notebook import NotebookProjector
    from projections.reviews import ReviewsProjector

    found += [ReviewsProjector, ReviewDispatcher, NotebookProjector]
    from projections.forum import ForumProjector
    from projections.interviews import InterviewsProjector
    from projections.organizations import OrganizationsProjector

    found += [InterviewsProjector, ForumProjector, OrganizationsProjector]
    return found


def actor_specs(c: Container) -> list[ActorSpec]:
    """Every dramatiq actor, bound to this container's services."""
    specs: list[ActorSpec] = []
    from infra.broker import ActorSpec
    from projections.mail_dispatch import ACTOR, QUEUE, mail_actor

    specs.append(ActorSpec(mail_actor(c), ACTOR, QUEUE))
    from judge.actors import actor_spec as judge_spec

    specs.append(judge_spec(c))
    from ai.actors import actor_spec as review_spec

    specs.append(review_spec(c))
    from projections import achievements

    specs.append(ActorSpec(achievements.award_actor(c), achievements.ACTOR, achievements.QUEUE))
    return specs
