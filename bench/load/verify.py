"""After a load run: every answer save the clients got 200 for must be in the database
(the last acknowledged revision per question, with that response), no sitting or answer
doubled, every acknowledged submit closed.

    python bench/load/verify.py SETUP.json ACKED.json  -> prints a JSON summary
"""
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import djangoenv  # noqa: E402

djangoenv.setup()

from exams.models import S_OPEN, Answer, Sitting  # noqa: E402


def main():
    setup = json.loads(Path(sys.argv[1]).read_text())
    acked = json.loads(Path(sys.argv[2]).read_text())
    exam_id = setup["exam_id"]
    answers = {(a.sitting_id, a.position): a for a in Answer.objects.filter(sitting__exam_id=exam_id)}
    lost, newer = [], 0
    for sitting_id, position, rev, response in acked["acked"]:
        a = answers.get((sitting_id, position))
        if a is None or a.revision < rev or (a.revision == rev and a.response != response):
            lost.append([sitting_id, position, rev, a.revision if a else None])
        elif a.revision > rev:
            newer += 1  # a later save was applied but its answer never reached the client
    sittings = list(Sitting.objects.filter(exam_id=exam_id))
    per_officer = Counter(s.officer_id for s in sittings)
    per_sitting = Counter(sid for sid, _pos in answers)
    n_q = setup["n_questions"]
    submitted = {int(k) for k in acked["submitted"]}
    still_open = [s.pk for s in sittings if s.pk in submitted and s.status == S_OPEN]
    print(json.dumps({
        "acked_saves_checked": len(acked["acked"]),
        "answers_lost": len(lost),
        "lost_examples": lost[:10],
        "answers_newer_than_ack": newer,
        "sittings": len(sittings),
        "officers_with_more_than_one_sitting": sum(1 for n in per_officer.values() if n > 1),
        "sittings_with_wrong_answer_count": sum(1 for n in per_sitting.values() if n != n_q),
        "submitted_acked": len(submitted),
        "submitted_but_still_open": len(still_open),
        "status_counts": dict(Counter(s.status for s in sittings)),
    }))


if __name__ == "__main__":
    main()
