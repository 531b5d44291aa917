"""Events other apps send and listen to, so apps stay decoupled.

Each is sent once per real change (senders guarantee it), after the database
transaction that made the change has committed.
"""
from django.dispatch import Signal

#: A course was completed. kwargs: officer, course (page), completed_at.
course_completed = Signal()

#: An exam was passed (sent once per sitting). kwargs: officer, sitting, exam, score.
exam_passed = Signal()

#: Hours were added to (or reversed in) an officer's ledger. kwargs: officer, entry.
hours_added = Signal()
