"""Trainers publishing during the load test: each trainer saves a new revision of their
lesson page and the legal reviewer publishes it (Wagtail's page API: save_revision +
publish, which also updates the search index and the reference index), every
``--interval`` seconds per trainer.

    python bench/load/trainers.py SETUP.json OUT.json --seconds 120 --interval 5
"""
import argparse
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import djangoenv  # noqa: E402

djangoenv.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402

from courses.models import LessonPage  # noqa: E402


def publisher(lesson, seconds, interval, out, errors):
    user = get_user_model().objects.get(pk=lesson["trainer_id"])
    reviewer = get_user_model().objects.get(pk=lesson["reviewer_id"])
    end = time.monotonic() + seconds
    n = 0
    try:
        while time.monotonic() < end:
            n += 1
            t = time.perf_counter()
            try:
                page = LessonPage.objects.get(pk=lesson["page_id"]).specific
                page.summary = f"修订 {n}"
                page.body = [("markdown", f"压测课时正文，第 {n} 次修订。")]
                page.save_revision(user=user).publish(user=reviewer)
                out.append((time.perf_counter() - t) * 1000)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                import traceback

                errors.append(traceback.format_exc()[-1500:])
            close_old_connections()
            time.sleep(max(0.0, interval - (time.perf_counter() - t)))
    finally:
        connection.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("setup")
    ap.add_argument("out")
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--interval", type=float, default=5)
    args = ap.parse_args()
    data = json.loads(Path(args.setup).read_text())
    times, errors = [], []
    threads = [threading.Thread(target=publisher, args=(lesson, args.seconds, args.interval, times, errors))
               for lesson in data["lessons"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Check: each lesson's live revision is its latest revision.
    stale = 0
    for lesson in data["lessons"]:
        page = LessonPage.objects.get(pk=lesson["page_id"])
        if page.live_revision_id != page.latest_revision_id:
            stale += 1
    Path(args.out).write_text(json.dumps({"publish_ms": times, "errors": errors, "not_live": stale}))


if __name__ == "__main__":
    main()
