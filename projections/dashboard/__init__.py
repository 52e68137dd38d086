"""The learner dashboard and public profile read model (projector and queries)."""

from __future__ import annotations

from projections.dashboard.projector import (
    CACHE_TTL_S,
    DashboardProjector,
    Fold,
    UserRow,
    cache_key,
    generation_key,
    profile_key,
    user_changed,
)
from projections.dashboard.queries import Dashboard, Profile, get_dashboard, get_profile

__all__ = [
    "CACHE_TTL_S",
    "Dashboard",
    "DashboardProjector",
    "Fold",
    "Profile",
    "UserRow",
    "cache_key",
    "generation_key",
    "get_dashboard",
    "get_profile",
    "profile_key",
    "user_changed",
]
