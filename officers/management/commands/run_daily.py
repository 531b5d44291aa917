"""The daily job: re-evaluate every active officer's qualifications and make the
lifecycle transitions the rules call for (grant, 年审, renewal, expiry, 暂扣 for an
overdue 年审 and its lifting, 吊销 after failed renewal exams — each recorded in the
audit log with its reason, by the system), expire certificates, flag officers short
of hours, send the notices that are due (officers.notices). Idempotent: a second run
the same day changes nothing and says so."""
import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from officers import notices, qualifications
from officers.models import Officer, QualificationRecord


class Command(BaseCommand):
    help = ("Expire due qualifications and certificates, flag missing hours, re-evaluate qualifications, "
            "send due notices.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="run as of this date (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        started = time.monotonic()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD") from None
        else:
            today = timezone.localdate()
        short_before = set(QualificationRecord.objects.filter(hours_short=True).values_list("pk", flat=True))
        officers = Officer.objects.filter(is_active=True).select_related("unit").order_by("pk")
        changes = qualifications.evaluate_many(officers.iterator(chunk_size=1000), today)
        n_certs = qualifications.expire_certificates(today)
        short_now = set(QualificationRecord.objects.filter(hours_short=True).values_list("pk", flat=True))
        newly_short = short_now - short_before
        sent = notices.daily(today)
        w = self.stdout.write
        w(f"run_daily {today.isoformat()}")
        for ev in changes:
            w(f"  {ev.action:8} {ev.officer.employee_number} {ev.officer.full_name} "
              f"{ev.qualification_type.name} → {ev.status} {ev.expires_at or ''}")
        counts = {a: sum(1 for e in changes if e.action == a) for a in qualifications.ACTION_DONE.values()}
        w(f"  qualifications granted: {counts['granted']}, renewed: {counts['renewed']}, "
          f"expired: {counts['expired']}")
        w(f"  annual reviews passed: {counts['reviewed']}, suspended (年审 overdue): {counts['suspended']}, "
          f"reinstated: {counts['reinstated']}, revoked (renewal exam failed): {counts['revoked']}")
        w(f"  certificates expired: {n_certs}")
        w(f"  short of hours {today.year}: {len(short_now)} ({len(newly_short)} newly flagged, "
          f"{len(short_before - short_now)} cleared)")
        w(f"  notices sent: {sent.total}" + "".join(f", {kind}: {n}" for kind, n in sorted(sent.sent.items()))
          + (f" (e-mail failed: {sent.email_errors})" if sent.email_errors else ""))
        if not changes and not n_certs and not newly_short and not (short_before - short_now) and not sent.total:
            w("  nothing changed")
        w(f"  done in {time.monotonic() - started:.1f}s")
