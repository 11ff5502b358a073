"""Bidding's data: projects (needs) and their announcements, bids, awards and objections."""

from bidding.models.attachments import BidAttachment, ObjectionAttachment, ProjectAttachment
from bidding.models.awards import Award, Draw, Objection
from bidding.models.bids import Bid
from bidding.models.projects import Amendment, Exclusion, Project, Question
from bidding.models.sealing import ProjectSealKey
from bidding.models.searches import SavedSearch, SavedSearchMatch

__all__ = ["Amendment", "Award", "Bid", "BidAttachment", "Draw", "Exclusion", "Objection",
           "ObjectionAttachment", "Project", "ProjectAttachment", "ProjectSealKey", "Question",
           "SavedSearch", "SavedSearchMatch"]
