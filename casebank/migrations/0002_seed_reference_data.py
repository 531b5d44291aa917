"""Seed duty areas, enforcement measures and the succession rules of the laws
repealed by 生态环境法典 (第一千二百四十二条, effective 2026-08-15)."""
import datetime

from django.db import migrations

CODE = "中华人民共和国生态环境法典"
REPEALED_BY_CODE = [
    "中华人民共和国环境保护法",
    "中华人民共和国环境影响评价法",
    "中华人民共和国海洋环境保护法",
    "中华人民共和国大气污染防治法",
    "中华人民共和国水污染防治法",
    "中华人民共和国土壤污染防治法",
    "中华人民共和国固体废物污染环境防治法",
    "中华人民共和国噪声污染防治法",
    "中华人民共和国放射性污染防治法",
    "中华人民共和国清洁生产促进法",
]


def seed(apps, schema_editor):
    from casebank import domain

    DutyArea = apps.get_model("casebank", "DutyArea")
    Measure = apps.get_model("casebank", "EnforcementMeasure")
    LawSuccession = apps.get_model("casebank", "LawSuccession")
    order = 0
    for kind, choices in (("area", domain.DUTY_AREA_CHOICES), ("subject", domain.SUBJECT_CHOICES)):
        for code, label in choices:
            order += 10
            DutyArea.objects.update_or_create(code=code, defaults={"name": str(label), "kind": kind,
                                                                   "sort_order": order})
    for i, (code, label) in enumerate(domain.MEASURE_CHOICES):
        Measure.objects.update_or_create(code=code, defaults={"name": str(label), "sort_order": (i + 1) * 10})
    for name in REPEALED_BY_CODE:
        LawSuccession.objects.get_or_create(repealed_name=name, defaults={
            "successor_name": CODE, "repeal_date": datetime.date(2026, 8, 15),
            "note": "生态环境法典第一千二百四十二条"})


class Migration(migrations.Migration):
    dependencies = [("casebank", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
