"""Two-way, double-blind ratings of a closed contract (DESIGN §4 "Two-way ratings").

Neither rating is visible (scores and comment) until both are in or the window closes; the
window row is locked by every submission and by the close task, so the reveal happens once.
A party that lets the window close rates with `MARKETPLACE_DEFAULT_RATING` on every criterion,
marked `is_default`. Ratings are final once submitted; the rated party may reply once, publicly.
Each revealed rating is recorded in the rated organization's credit ledger.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Contract
from marketplace.actors import acting_organization
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.notifications.services import notify_organization
from marketplace.periods import add_period
from ratings import webhooks
from ratings.models import Rating, RatingReply, RatingWindow
from ratings.models.ratings import AGENCY_RATES_OWNER, OWNER_RATES_AGENCY
from ratings.rules import check_rated_replies
from ratings.services.automatic import credit_event_record
from ratings.services.common import required_text

Direction = Rating.Direction


def closed_at(contract: Contract) -> dt.datetime | None:
    if contract.status == Contract.Status.COMPLETED:
        return contract.completed_at
    if contract.status == Contract.Status.TERMINATED:
        return contract.terminated_at
    return None


@transaction.atomic
def rating_window_open(*, contract: Contract, now: dt.datetime | None = None) -> RatingWindow:
    """Open the window when the contract closes (receiver of `contract_closed`); idempotent."""
    if not contract.is_closed:
        raise StateConflict(_("Only a completed or terminated contract can be rated."))
    existing = RatingWindow.objects.filter(contract=contract).first()
    if existing is not None:
        return existing
    opened = closed_at(contract) or now or timezone.now()
    try:
        with transaction.atomic():
            window = RatingWindow.objects.create(
                contract=contract, opened_at=opened,
                closes_at=add_period(opened, settings.MARKETPLACE_RATING_PERIOD))
    except IntegrityError:
        return RatingWindow.objects.get(contract=contract)
    audit.record(action="ratings.window_opened", organization=contract.owner, obj=window,
                 data={"contract": contract.pk, "closes_at": window.closes_at.isoformat()},
                 now=now)
    return window


def _locked_window(contract: Contract, now) -> RatingWindow:
    window = rating_window_open(contract=contract, now=now)
    return RatingWindow.objects.select_for_update().get(pk=window.pk)


def direction_of(contract: Contract, organization) -> str:
    if organization is not None and organization.pk == contract.owner_id:
        return Direction.OWNER_TO_AGENCY
    if organization is not None and organization.pk == contract.agency_id:
        return Direction.AGENCY_TO_OWNER
    raise NotAllowed(_("Only the parties to the contract can rate it."))


def criteria_for(direction: str) -> tuple[str, ...]:
    return OWNER_RATES_AGENCY if direction == Direction.OWNER_TO_AGENCY else AGENCY_RATES_OWNER


def _checked_scores(direction: str, scores: dict) -> dict[str, int]:
    checked = {}
    for name in criteria_for(direction):
        value = (scores or {}).get(name)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value is None or not 1 <= value <= 5 or str(scores.get(name)).strip() != str(value):
            raise DomainError(_("Give a whole number from 1 to 5."), field=name)
        checked[name] = value
    return checked


def _value(scores: dict[str, int]) -> Decimal:
    return (Decimal(sum(scores.values())) / len(scores)).quantize(Decimal("0.01"),
                                                                   rounding=ROUND_HALF_UP)


def _rating(contract, window, direction, scores, comment, *, by, now, is_default=False):
    rater, rated = ((contract.owner, contract.agency) if direction == Direction.OWNER_TO_AGENCY
                    else (contract.agency, contract.owner))
    return Rating.objects.create(window=window, contract=contract, direction=direction,
                                 rater=rater, rated=rated, scores=scores, value=_value(scores),
                                 comment=comment, is_default=is_default,
                                 submitted_by=by, submitted_at=now)


@transaction.atomic
def rating_submit(*, contract: Contract, scores: dict, comment: str = "", by,
                  now: dt.datetime | None = None) -> Rating:
    """A party rates the other, once, within the window."""
    now = now or timezone.now()
    direction = direction_of(contract, acting_organization(by))
    if not contract.is_closed:
        raise StateConflict(_("Only a completed or terminated contract can be rated."))
    scores = _checked_scores(direction, scores)
    window = _locked_window(contract, now)
    if not window.is_open(now):
        raise StateConflict(_("The rating window has closed."))
    if window.ratings.filter(direction=direction).exists():
        raise StateConflict(_("Your organization has already rated this contract."))
    try:
        with transaction.atomic():
            rating = _rating(contract, window, direction, scores, (comment or "").strip(),
                             by=by, now=now)
    except IntegrityError:
        raise StateConflict(_("Your organization has already rated this contract.")) from None
    # The scores stay out of the audit data: they are sealed until the reveal.
    audit.record(action="rating.submitted", actor=by, organization=rating.rater, obj=rating,
                 data={"contract": contract.pk, "direction": direction}, now=now)
    if window.ratings.count() == 2:
        _reveal(window, now=now)
        rating.revealed_at = now  # the caller tells the rater both ratings are now public
    return rating


def _reveal(window: RatingWindow, *, now: dt.datetime) -> None:
    """Called while holding the window's row lock."""
    window.revealed_at = now
    window.save(update_fields=["revealed_at"])
    window.ratings.update(revealed_at=now)
    for rating in window.ratings.select_related("rated", "rater"):
        credit_event_record(
            organization=rating.rated, event_type="rating_received", rating_value=rating.value,
            occurred_at=now, source_kind="ratings.rating", source_id=rating.pk,
            public_note=(_("Default rating (the other party did not rate)") if rating.is_default
                         else _("Rated %(value)s by %(rater)s")
                         % {"value": rating.value, "rater": rating.rater.name}),
            data={"contract": window.contract_id}, now=now)
        notify_organization(organization=rating.rated, kind="ratings.revealed",
                            title=_("The ratings of a contract are now public"),
                            body=_("You were rated %(value)s.") % {"value": rating.value},
                            email=False)
        webhooks.rating_received(rating)
    audit.record(action="ratings.revealed", organization=window.contract.owner, obj=window,
                 data={"contract": window.contract_id}, now=now)


def ratings_close_due(*, now: dt.datetime | None = None) -> int:
    """Windows that closed without both ratings: the missing party's default rating is
    recorded and both are revealed (beat task; idempotent under the window's lock)."""
    now = now or timezone.now()
    done = 0
    # A closed contract whose `contract_closed` signal was lost gets its window first.
    for contract in Contract.objects.filter(status__in=Contract.CLOSED, rating_window__isnull=True):
        rating_window_open(contract=contract, now=now)
    due = RatingWindow.objects.filter(revealed_at__isnull=True, closes_at__lte=now)
    for window_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            window = (RatingWindow.objects.select_for_update().select_related(
                "contract__owner", "contract__agency").get(pk=window_id))
            if window.revealed_at is not None:
                continue
            have = set(window.ratings.values_list("direction", flat=True))
            for direction in Direction.values:
                if direction not in have:
                    default = settings.MARKETPLACE_DEFAULT_RATING
                    _rating(window.contract, window, direction,
                            dict.fromkeys(criteria_for(direction), default), "",
                            by=None, now=now, is_default=True)
            _reveal(window, now=now)
            done += 1
    return done


@transaction.atomic
def rating_reply(*, rating: Rating, text: str, by, now: dt.datetime | None = None
                 ) -> RatingReply:
    """The rated organization answers a revealed rating once, publicly."""
    now = now or timezone.now()
    organization = check_rated_replies(rating=rating, by=by)
    text = required_text(text, "text", _("Write your reply."))
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    if rating.revealed_at is None:
        raise StateConflict(_("A rating can be answered once it is revealed."))
    if RatingReply.objects.filter(rating=rating).exists():
        raise StateConflict(_("This rating has already been answered."))
    try:
        with transaction.atomic():
            reply = RatingReply.objects.create(rating=rating, text=text, by=by, created_at=now)
    except IntegrityError:
        raise StateConflict(_("This rating has already been answered.")) from None
    audit.record(action="rating.replied", actor=by, organization=organization, obj=reply,
                 data={"rating": rating.pk}, now=now)
    return reply
