"""Bidding's data: projects (needs) and their announcements, bids, awards and objections."""

from bidding.models.awards import Award, Draw, Objection
from bidding.models.bids import Bid
from bidding.models.projects import Amendment, Exclusion, Project, Question

__all__ = ["Amendment", "Award", "Bid", "Draw", "Exclusion", "Objection", "Project", "Question"]
