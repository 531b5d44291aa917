"""Who may see what in the case bank."""
from officers import roles
from officers.roles import role_required

STAFF_ROLES = (roles.TRAINER, roles.LEGAL_REVIEWER, roles.HR)

#: Logged-in trainers, legal reviewers, HR and administrators.
staff_required = role_required(*STAFF_ROLES)
