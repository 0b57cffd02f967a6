"""Database models, one module per domain."""
from aid.models.audit import AuditEvent
from aid.models.people import StaffSession, User
from aid.models.requests import HelpRequest, Household, HouseholdKey
from aid.models.routes import Depot
from aid.models.settings import AppSetting

__all__ = ["AppSetting", "AuditEvent", "Depot", "HelpRequest", "Household", "HouseholdKey",
           "StaffSession", "User"]
