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
from aid.models.requests import HelpRequest, Household, HouseholdKey
from aid.models.routes import Depot
from aid.models.settings import AppSetting

__all__ = ["Account", "AppSetting", "AuditEvent", "BailCase", "Campaign", "Decision", "Depot",
           "Disbursement", "Fund", "HelpRequest", "Household", "HouseholdKey", "Posting",
           "Receipt", "StaffSession", "Thanks", "Transaction", "User"]
