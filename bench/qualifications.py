"""Benchmark of qualifications and certificates.

    .venv/bin/python bench/qualifications.py            # 20,000 officers, 10,000 certificates
    BENCH_OFFICERS=5000 BENCH_CERTS=1000 .venv/bin/python bench/qualifications.py

Measures, with baselines from the same run:
1. the HR dashboard (/hr/) for a city HR user over N officers: median time and query
   count, at 1,000 officers and at N (the query count must not grow);
   baseline: the officer roster page (/people/) and a bare COUNT of the scope;
2. evaluation of N officers (evaluate_many, first run and idempotent second run) with the hours
   rules by category, 集中培训 and a 3-year window (four ledger lines per officer over three years);
   baseline: loading the rule data alone;
3. certificates: M PDFs streamed into a ZIP (embedded CJK subset + QR), rate and
   peak memory; baseline: the same page with reportlab's built-in, non-embedded
   STSong-Light font, and the embedded-font render alone.
"""
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("ACADEMY_DATA_DIR", tempfile.mkdtemp(prefix="bench-qual-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
import io  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

N_OFFICERS = int(os.environ.get("BENCH_OFFICERS", 20_000))
N_CERTS = int(os.environ.get("BENCH_CERTS", 10_000))
N_BASELINE_PDF = min(500, N_CERTS)
#: Which parts to run (comma-separated): dashboard, evaluation, certificates.
PARTS = set((os.environ.get("BENCH_PARTS") or "dashboard,evaluation,certificates").split(","))


def timed(fn, repeat=5):
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, result


def make_officers(units, start, count):
    from officers.models import (
        ACH_EXAM, MODE_CENTRAL, MODE_SELF_STUDY, Q_EXPIRED, Q_NOT_QUALIFIED, Q_QUALIFIED, Q_SUSPENDED,
        SOURCE_MANUAL, Achievement, HoursCategory, HoursEntry, Officer, QualificationRecord, QualificationType,
    )
    cats = {c.code: c for c in HoursCategory.objects.all()}
    User = get_user_model()
    today = timezone.localdate()
    squads = [u for code, u in sorted(units.items()) if code.count("-") == 2]
    qtype = QualificationType.objects.get(code="BENCH")
    users = User.objects.bulk_create([User(username=f"b{i:06d}", password="!") for i in range(start, start + count)],
                                     batch_size=2000)
    if users[0].pk is None:
        users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("username"))
    officers = Officer.objects.bulk_create([
        Officer(user=u, employee_number=f"B{start + i:06d}", full_name=f"张{'伟明芳' [i % 3]}{i % 97}",
                unit=squads[(start + i) % len(squads)]) for i, u in enumerate(users)], batch_size=2000)
    if officers[0].pk is None:
        officers = list(Officer.objects.filter(employee_number__gte=f"B{start:06d}",
                                               employee_number__lt=f"B{start + count:06d}").order_by("pk"))
    recs, hours, achs = [], [], []
    for i, o in enumerate(officers):
        k = (start + i) % 10
        status = {7: Q_EXPIRED, 8: Q_SUSPENDED, 9: Q_NOT_QUALIFIED}.get(k, Q_QUALIFIED)
        expires = today + datetime.timedelta(days=(start + i) % 400 - 30)
        recs.append(QualificationRecord(officer=o, qualification_type=qtype, status=status,
                                        granted_at=expires - datetime.timedelta(days=365) if k != 9 else None,
                                        expires_at=expires if k != 9 else None))
        # hours by category and mode: this year's self-study and 集中培训, and earlier 集中培训 for the window
        n = start + i
        for key, amount, category, mode, year in (
                ("a", 10 + n % 40, cats["public_law"], MODE_SELF_STUDY, today.year),
                ("b", 5 + n % 20, cats["business"], MODE_CENTRAL if n % 3 else MODE_SELF_STUDY, today.year),
                ("c", n % 15, cats["skills"], MODE_SELF_STUDY, today.year),
                ("d", 8 + n % 24, cats["skills"], MODE_CENTRAL, today.year - 1 - n % 3)):
            hours.append(HoursEntry(officer=o, hours=Decimal(amount), year=year,
                                    date=datetime.date(year, min(today.month, 6), 1), category_id=category.pk,
                                    mode=mode, source=SOURCE_MANUAL, source_key=f"b:{o.pk}:{key}",
                                    description="bench"))
        if k % 2:
            achs.append(Achievement(officer=o, kind=ACH_EXAM, ref_id=1, ref_kind="annual", title="年度考试",
                                    score=Decimal(80), achieved_at=timezone.now(), year=today.year,
                                    source_key=f"b:{o.pk}"))
    QualificationRecord.objects.bulk_create(recs, batch_size=2000)
    HoursEntry.objects.bulk_create(hours, batch_size=2000)
    Achievement.objects.bulk_create(achs, batch_size=2000)
    return officers


def bench_dashboard(client, label):
    from officers.scoping import visible_officers
    assert client.get("/hr/").status_code == 200
    ctx = []

    def count(execute, sql, params, many, context):
        ctx.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get("/hr/")
    ms, _ = timed(lambda: client.get("/hr/"))
    cpu = time.process_time()
    for _ in range(5):
        client.get("/hr/")
    cpu_ms = (time.process_time() - cpu) / 5 * 1000
    base_ms, _ = timed(lambda: client.get("/people/"))
    user = client.session_user
    count_ms, _ = timed(lambda: visible_officers(user).filter(is_active=True).count())
    print(f"  {label}: /hr/ {ms:.0f} ms ({cpu_ms:.0f} ms CPU), {len(ctx)} queries | "
          f"baseline /people/ {base_ms:.0f} ms, "
          f"COUNT of scope {count_ms:.1f} ms")
    return len(ctx)


def cid_font_pdf(cert):
    """The baseline: the same page with reportlab's built-in CID font (not embedded)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from officers.certificates import draw_qr
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    w, h = landscape(A4)
    c = canvas.Canvas(buf, pagesize=(w, h), initialFontName="STSong-Light", pageCompression=1)
    c.setFont("STSong-Light", 20)
    c.drawCentredString(w / 2, h - 90, "某市城市管理综合执法局")
    c.setFont("STSong-Light", 38)
    c.drawCentredString(w / 2, h - 145, "执法资格证书")
    c.setFont("STSong-Light", 16)
    c.drawString(90, h - 210, f"兹证明  {cert.holder_name}  同志")
    c.drawString(90, h - 236, f"单位：{cert.unit_name}")
    c.drawString(90, h - 272, f"经培训考核合格，取得{cert.subject}。")
    for i, line in enumerate([f"发证日期：{cert.issued_at}", f"有效期至：{cert.valid_until}",
                              f"证书编号：{cert.number}", f"查 验 码：{cert.code}"]):
        c.drawString(90, h - 318 - 24 * i, line)
    draw_qr(c, f"http://127.0.0.1:8000/verify/{cert.code}/", w - 218, 84, 128)
    c.showPage()
    c.save()
    return buf.getvalue()


def main():
    started = time.perf_counter()
    print(f"qualifications bench: {N_OFFICERS} officers, {N_CERTS} certificates "
          f"(data dir {os.environ['ACADEMY_DATA_DIR']}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    call_command("migrate", verbosity=0)
    print(f"  migrate: {time.perf_counter() - started:.0f} s")
    from officers import roles
    from officers.demo import ensure_units
    from officers.models import Officer, QualificationType
    units = ensure_units()
    from officers.models import HoursCategory, HoursRequirement
    # the hours rules of issue 15: a total, a minimum per category, one 集中培训 a year, 40 hours of
    # 集中培训 within 3 years, and the annual exam held back until the year's hours are met
    qtype = QualificationType.objects.create(
        code="BENCH", name="行政执法资格", is_base=True, validity_months=12, min_hours_per_year=Decimal("60"),
        central_training_required=True, window_years=3, window_min_hours=Decimal("40"),
        annual_exam_needs_hours=True)
    for code, minimum in (("public_law", 20), ("business", 15), ("skills", 10)):
        HoursRequirement.objects.create(qualification_type=qtype, category=HoursCategory.objects.get(code=code),
                                        min_hours=Decimal(minimum))
    User = get_user_model()
    hr = User.objects.create_user("bench_hr", password="x")
    hr.groups.add(Group.objects.get(name=roles.HR))
    Officer.objects.create(user=hr, employee_number="HR0001", full_name="人事", unit=units["SZ"])
    client = Client()
    client.force_login(hr)
    client.session_user = hr

    print("1. HR dashboard (city HR: everyone in scope)")
    small = min(1000, N_OFFICERS)
    t = time.perf_counter()
    make_officers(units, 0, small)
    if "dashboard" in PARTS:
        q_small = bench_dashboard(client, f"{small:>6} officers")
    done = small
    while done < N_OFFICERS:
        step = min(5000, N_OFFICERS - done)
        make_officers(units, done, step)
        done += step
    print(f"  (data for {N_OFFICERS} officers made in {time.perf_counter() - t:.0f} s)")
    if "dashboard" in PARTS:
        q_big = bench_dashboard(client, f"{N_OFFICERS:>6} officers")
        print(f"  query count constant: {'yes' if q_small == q_big else 'NO'} ({q_small} → {q_big})")

    if "evaluation" in PARTS:
        bench_evaluation()
    if "certificates" in PARTS:
        bench_certificates()
    print(f"total {time.perf_counter() - started:.0f} s")


def bench_evaluation():
    from officers import qualifications
    from officers.models import AuditLog, Officer
    print("2. Evaluation")
    officers = list(Officer.objects.filter(is_active=True).order_by("pk"))
    t = time.perf_counter()
    qualifications.load_officer_data(officers, timezone.localdate().year,
                                     hours_years=qualifications.Rules.load().hours_years)
    base = time.perf_counter() - t
    audit_before = AuditLog.objects.count()
    t, cpu = time.perf_counter(), time.process_time()
    changes = qualifications.evaluate_many(officers)
    first, first_cpu = time.perf_counter() - t, time.process_time() - cpu
    entries = AuditLog.objects.count() - audit_before
    t, cpu = time.perf_counter(), time.process_time()
    again = qualifications.evaluate_many(officers)
    second, second_cpu = time.perf_counter() - t, time.process_time() - cpu
    n = len(officers)
    print(f"  first run {first:.1f} s ({n / first:.0f} officers/s, {len(changes)} lifecycle changes, "
          f"{entries} audit entries; {first_cpu:.1f} CPU-s = {n / first_cpu:.0f} officers per CPU-second); "
          f"second run {second:.1f} s ({n / second:.0f}/s, {len(again)} changes; {second_cpu:.1f} CPU-s)")
    print(f"  baseline: loading the rule data alone {base:.1f} s ({n / base:.0f} officers/s)")



def bench_certificates():
    from officers import certificates
    from officers.models import Certificate, Officer
    print("3. Certificates")
    officers = list(Officer.objects.filter(is_active=True).order_by("pk")[:N_CERTS])
    today = timezone.localdate()
    holders = officers[:N_CERTS]
    Certificate.objects.bulk_create([
        Certificate(kind="qualification", officer=o, holder_name=o.full_name, unit_name="江北区城市管理执法局 / 第一中队",
                    subject="行政执法资格", issued_at=today, valid_until=today + datetime.timedelta(days=365),
                    number=f"BENCH{i:07d}", code=certificates.new_code(), source_key=f"bench:{i}")
        for i, o in enumerate(holders)], batch_size=2000)
    batch = Certificate.objects.filter(source_key__startswith="bench:").order_by("pk")
    sample = list(batch[:N_BASELINE_PDF])
    certificates.render_pdf(sample[0])  # parse the font once
    t = time.perf_counter()
    for cert in sample:
        cid = cid_font_pdf(cert)
    cid_rate = len(sample) / (time.perf_counter() - t)
    t = time.perf_counter()
    for cert in sample:
        pdf = certificates.render_pdf(cert)
    emb_rate = len(sample) / (time.perf_counter() - t)
    print(f"  baseline: built-in STSong-Light (not embedded) {cid_rate:.0f} PDFs/s, {len(cid) / 1024:.0f} KB")
    print(f"  embedded subset, render only: {emb_rate:.0f} PDFs/s, {len(pdf) / 1024:.0f} KB")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    total = 0
    pieces = 0
    workers = certificates._render_processes(N_CERTS)
    for chunk in certificates.stream_zip(batch):
        total += len(chunk)
        pieces += 1
    elapsed = time.perf_counter() - t
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"  streamed ZIP of {N_CERTS} ({workers or 'no'} rendering processes): {elapsed:.1f} s "
          f"({N_CERTS / elapsed:.0f} certificates/s), {total / 1024 / 1024:.0f} MB in {pieces} pieces, "
          f"peak RSS of the web process +{(rss_after - rss_before) / 1024:.0f} MB")


if __name__ == "__main__":
    main()
