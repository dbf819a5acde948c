"""Who is asking, and what they may do: the one place roles and owners are checked.

Every service that reads or changes findings, listings, sellers, evidence or assets takes a
``Principal`` and asks it here. Scope is applied to the store query itself (``owners``), so a
user tied to owner A never sees, counts, exports or acts on owner B's records, whichever front
door or id they use; a record outside their owners is "not found", never "forbidden".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ipwatch.services.errors import ForbiddenError, NotFoundError

if TYPE_CHECKING:
    from model import FindingQuery
    from registry.identity import UserView

Action = Literal["read", "review", "export", "manage_assets", "manage_users", "operate"]

# What each role may do. Viewers read and check evidence; reviewers also decide and export
# packages; admins also manage their owners' assets, users and crawls.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read"}),
    "reviewer": frozenset({"read", "review", "export"}),
    "admin": frozenset({"read", "review", "export", "manage_assets", "manage_users", "operate"}),
}


@dataclass(frozen=True)
class Principal:
    """A user as the services see them: name, role and owners (None: every owner)."""

    name: str
    role: str
    owners: tuple[str, ...] | None

    @classmethod
    def operator(cls, name: str) -> Principal:
        """Whoever runs the CLI on the data folder: it is theirs, so every owner and action."""
        return cls(name, "admin", None)

    @classmethod
    def of(cls, user: UserView) -> Principal:
        return cls(user.name, user.role, user.owners)

    @property
    def all_owners(self) -> bool:
        return self.owners is None

    def can(self, action: Action) -> bool:
        return action in ROLE_ACTIONS.get(self.role, frozenset())

    def require(self, action: Action) -> None:
        if not self.can(action):
            raise ForbiddenError(
                f"{self.name} is a {self.role}; {action.replace('_', ' ')} needs "
                f"a role that allows it (ask an admin)"
            )

    def sees(self, owner: str) -> bool:
        return self.owners is None or owner in self.owners

    def require_owner(self, owner: str, what: str) -> None:
        """Raise NotFound (not Forbidden) for another owner's record: its id reveals nothing."""
        if not self.sees(owner):
            raise NotFoundError(f"no {what}")

    def scope(self, query: FindingQuery) -> FindingQuery:
        """The query limited to this principal's owners (intersected with any given)."""
        if self.owners is None:
            return query
        owners = (
            self.owners
            if query.owners is None
            else tuple(o for o in query.owners if o in self.owners)
        )
        if query.owner is not None and query.owner not in self.owners:
            owners = ()
        return dataclasses.replace(query, owners=tuple(sorted(owners)))
