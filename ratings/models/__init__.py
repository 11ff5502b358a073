"""Ratings app models. Each area is its own module; the other engineers add their imports here."""

from ratings.models.blacklist import (
    AppealEvidence,
    BlacklistAppeal,
    BlacklistEntry,
    CreditRepairRequest,
    MarketExit,
    RepairEvidence,
)
from ratings.models.cases import CaseEvidence, ViolationCase
from ratings.models.complaints import Complaint, ComplaintAttachment, PublicComplainant
from ratings.models.credit import CreditEvent, ScoreChange
from ratings.models.inspections import InspectionPlan, InspectionTarget
from ratings.models.ocds import OCDSRelease
from ratings.models.ratings import Rating, RatingReply, RatingWindow
from ratings.models.redflags import Indicator, RedFlag, RedFlagParty, RedFlagRun

__all__ = [
    "AppealEvidence", "BlacklistAppeal", "BlacklistEntry", "CreditEvent", "CreditRepairRequest",
    "MarketExit", "OCDSRelease", "Rating", "RatingReply", "RatingWindow", "RepairEvidence",
    "CaseEvidence", "Complaint", "ComplaintAttachment", "InspectionPlan", "InspectionTarget",
    "PublicComplainant", "ScoreChange", "ViolationCase", "Indicator", "RedFlag", "RedFlagParty",
    "RedFlagRun",
]
