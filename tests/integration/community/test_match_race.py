"""Quick-match on the real event store: two service instances (as two API processes) racing."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from commands.interviews import Interviews, MatchRequest
from domain.interviews import InterviewSession
from tests.integration.community.conftest import language


def test_two_processes_pair_every_caller_exactly_once(container):
    services = [Interviews(container.log, container.clock) for _ in range(2)]
    lang = language()
    users = [uuid.uuid4() for _ in range(24)]

    def call(i: int):
        req = MatchRequest(users[i], "learner", "coding", "mid", lang, 45, "video")
        return services[i % 2].quick_match(req)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(call, range(len(users))))
    sessions = {r.session_id for r in results if r.session_id is not None}
    assert len(sessions) == 12 and sum(r.status == "searching" for r in results) == 12
    paired = [container.log.load(s) for s in sessions]
    assert all(isinstance(s, InterviewSession) for s in paired)
    everyone = [u for s in paired for u in s.participant_ids]
    assert sorted(everyone) == sorted(users)  # each caller in exactly one session
