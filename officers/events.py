"""Events other apps send and listen to, so apps stay decoupled.

Each is sent once per real change (senders guarantee it), after the database
transaction that made the change has committed.
"""
from django.dispatch import Signal

#: A course was completed. kwargs: officer, course (page), completed_at.
course_completed = Signal()

#: An exam was passed (sent once per sitting). kwargs: officer, sitting, exam, score.
exam_passed = Signal()

#: An exam result was released, passed or not (sent once per sitting, beside exam_passed on
#: a pass). kwargs: officer, sitting, exam, passed.
exam_result_released = Signal()

#: Hours were added to (or reversed in) an officer's ledger. kwargs: officer, entry.
hours_added = Signal()

#: Staff answered something an officer sent them (feedback on a case, …); the officer gets one
#: notice (消息) per ``key``. kwargs: officer, key (e.g. "case_feedback:12"), subject (what it was
#: about), outcome (a short word: 已采纳 …), reply (the staff's text), link (where to read it).
reply_sent = Signal()
