"""Database models, one module per domain."""
from aid.models.audit import AuditEvent
from aid.models.ledger import (
    Account,
    BailCase,
    Campaign,
    Decision,
    Disbursement,
    Fund,
    Posting,
    Receipt,
    Thanks,
    Transaction,
)
from aid.models.people import StaffSession, User
from aid.models.plans import DayPlan, PlanRoute, PlanStop, SafetyHold
from aid.models.requests import HelpRequest, Household, HouseholdKey
from aid.models.routes import Depot
from aid.models.settings import AppSetting
from aid.models.tasks import Claim, Notice, Recurrence, Task
from aid.models.volunteers import Invite, VolunteerKey, VolunteerProfile

__all__ = ["Account", "AppSetting", "AuditEvent", "BailCase", "Campaign", "Claim", "DayPlan",
           "Decision", "Depot", "Disbursement", "Fund", "HelpRequest", "Household",
           "HouseholdKey", "Invite", "Notice", "PlanRoute", "PlanStop", "Posting", "Receipt",
           "Recurrence", "SafetyHold", "StaffSession", "Task", "Thanks", "Transaction", "User",
           "VolunteerKey", "VolunteerProfile"]
