"""Every status field moves through here (DESIGN §3 "Rules, errors, states").

Each model declares its table of allowed moves next to its services, once:

    PROJECT = Transitions(Project, {
        Status.DRAFT: {Status.BIDDING, Status.CANCELLED},
        ...
    })

and a service moves an object with `move(obj, to, …)` (or `PROJECT.move(obj, to, …)`): a move
outside the table is refused with `InvalidTransition` (code `state.invalid_transition`, 409,
naming both states), otherwise the field is set and saved, and, when the caller names an
`action`, the audit entry for the move is written right after the save, in the same
transaction. The caller holds the row lock (select_for_update), so the status read here is the
one in the database. Only this module assigns a status field; `tests/kernel/test_state_helper`
scans the sources to keep it so.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from marketplace.errors import InvalidTransition

_TABLES: dict[tuple[type[models.Model], str], "Transitions"] = {}


class Transitions:
    """The allowed moves of one model's status field: `{from: frozenset(to, …)}`.

    Every state of the field's choices has a row (a final state an empty one), and nothing
    outside the choices appears: a typo fails at import, not at the first move."""

    def __init__(self, model: type[models.Model], allowed: Mapping[str, Iterable[str]], *,
                 field: str = "status", choices: type[models.TextChoices] | None = None):
        self.model, self.field = model, field
        self.choices = choices or getattr(model, field.title().replace("_", ""))
        self.allowed: dict[str, frozenset[str]] = {
            self.choices(state): frozenset(self.choices(t) for t in targets)
            for state, targets in allowed.items()}
        missing = set(self.choices) - set(self.allowed)
        if missing:
            raise ImproperlyConfigured(
                f"{model.__name__}.{field}: no row for {sorted(missing)} in its transitions")
        _TABLES[(model, field)] = self

    def __repr__(self) -> str:
        return f"<Transitions {self.model.__name__}.{self.field}>"

    def sources(self, to: str) -> frozenset[str]:
        """The states from which `to` may be reached."""
        return frozenset(state for state, targets in self.allowed.items() if to in targets)

    def can_move(self, obj: models.Model, to: str) -> bool:
        return to in self.allowed[getattr(obj, self.field)]

    def check(self, obj: models.Model, to: str) -> None:
        """Refuse a move the table does not allow; change nothing."""
        if not self.can_move(obj, to):
            raise InvalidTransition(self.choices(getattr(obj, self.field)), self.choices(to))

    def move(self, obj: models.Model, to: str, *, save: bool = True,
             update_fields: Iterable[str] | None = (), action: str | None = None,
             actor=None, organization=None, data: dict | None = None, now=None,
             sealed_project=None) -> None:
        """Move `obj` to `to` if the table allows it.

        `save=False` only sets the field (the caller saves, later, with its other changes).
        Otherwise the field is saved with `update_fields` (`None`: every field, `obj.save()`).
        With `action`, the audit entry is recorded after the save (`actor`, `organization`,
        `data`, `now`, `sealed_project` go to `audit.record`); name it only when the entry is
        about this move, and only where the service would otherwise record it next: one entry
        per action.
        """
        self.check(obj, to)
        if action is not None and not save:
            raise ValueError("an audited move saves the object first")
        setattr(obj, self.field, to)
        if save:
            if update_fields is None:
                obj.save()
            else:
                fields = [self.field, *(f for f in update_fields if f != self.field)]
                obj.save(update_fields=fields)
        if action is not None:
            from marketplace.audit import services as audit

            audit.record(action=action, actor=actor, organization=organization, obj=obj,
                         data=data, now=now, sealed_project=sealed_project)

    def move_all(self, queryset: models.QuerySet, to: str, **changes) -> int:
        """Move every row of `queryset` that may reach `to` (with `changes` to other fields) in
        one conditional UPDATE; rows in other states are left alone. Returns how many moved:
        a conditional update lets one worker among several close each row."""
        if queryset.model is not self.model:
            raise TypeError(f"{self!r} cannot move {queryset.model.__name__} rows")
        return queryset.filter(**{f"{self.field}__in": self.sources(to)}).update(
            **{self.field: to}, **changes)


def transitions_for(obj_or_model, field: str = "status") -> Transitions:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    try:
        return _TABLES[(model._meta.concrete_model, field)]
    except KeyError:
        raise LookupError(f"no transitions declared for {model.__name__}.{field}") from None


def move(obj: models.Model, to: str, *, field: str = "status", **options) -> None:
    """`Transitions.move` on the table declared for `obj`'s model (see there)."""
    transitions_for(obj, field).move(obj, to, **options)


def can_move(obj: models.Model, to: str, *, field: str = "status") -> bool:
    return transitions_for(obj, field).can_move(obj, to)
