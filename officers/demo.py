"""Demo units, officers and the demo logins (idempotent)."""
import datetime
import random
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from . import roles
from .models import (
    LEVEL_CITY, LEVEL_DISTRICT, LEVEL_SQUAD, PERSONNEL_AUXILIARY, TIER_ADVANCED, TIER_ENTRY, TIER_INSERVICE,
    Officer, Unit,
)

CITY = ("SZ", "某市城市管理综合执法局")
DISTRICTS = [
    ("SZ-JB", "江北区城市管理执法局", "江北区"),
    ("SZ-JN", "江南区城市管理执法局", "江南区"),
    ("SZ-GX", "高新区城市管理执法局", "高新区"),
]
SQUADS = [("01", "第一中队"), ("02", "第二中队")]

NAMES = [
    "王建国", "李晓明", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽娟", "周杰", "吴芳",
    "徐志强", "孙丽", "胡斌", "朱婷", "高翔", "林晓燕", "何勇", "郭敏", "马超", "罗慧",
    "梁宇", "宋佳", "郑浩然", "谢雨婷", "韩冬", "唐晓峰", "冯丽萍", "于洋", "董建华", "萧雅",
    "程明", "曹颖", "袁亮", "邓立安", "许文博", "傅晓", "沈倩", "曾宪武", "彭丽", "吕振华",
]

#: 辅助执法人员 (协管员) of the demo squads.
AUXILIARY_NAMES = ["钱小东", "孔令辉", "严文静", "金海波"]

#: The demo logins: username → (role group, unit code, full name, position, employee number).
DEMO_USERS = {
    "officer": (roles.OFFICER, "SZ-JB-01", "李明", "officer", "JB0001"),
    "trainer": (roles.TRAINER, "SZ", "陈立新", "trainer", "SZ0002"),
    "reviewer": (roles.LEGAL_REVIEWER, "SZ", "周法正", "legal_officer", "SZ0003"),
    "hr": (roles.HR, "SZ-JB", "孙晓红", "hr_clerk", "JB0004"),
    "leader": (roles.OFFICER, "SZ-JB-01", "魏国栋", "squad_leader", "JB0005"),
}


def ensure_units():
    city = Unit.objects.filter(code=CITY[0]).first() or Unit.add_root(code=CITY[0], name=CITY[1], level=LEVEL_CITY)
    units = {city.code: city}
    for code, name, _short in DISTRICTS:
        district = Unit.objects.filter(code=code).first()
        if district is None:
            district = city.add_child(code=code, name=name, level=LEVEL_DISTRICT)
            city.refresh_from_db()
        units[code] = district
        for scode, sname in SQUADS:
            full = f"{code}-{scode}"
            squad = Unit.objects.filter(code=full).first()
            if squad is None:
                squad = district.add_child(code=full, name=sname, level=LEVEL_SQUAD)
                district.refresh_from_db()
            units[full] = squad
    # Re-read: inserting nodes can move siblings' paths in the tree.
    return {u.code: u for u in Unit.objects.filter(code__in=list(units))}


@lru_cache(maxsize=4)
def _hash(password):
    # Hash once: every demo login shares the password, and hashing is slow by design.
    return make_password(password)


def _user(username, password, *, first_name="", superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first_name})
    if created:
        user.password = _hash(password)
        user.is_superuser = user.is_staff = superuser
        user.save()
    return user, created


def _demo_tier(position, has_certificate):
    """初任 for officers who have no enforcement certificate yet, 骨干 for squad leaders, else 岗位."""
    if not has_certificate:
        return TIER_ENTRY
    return TIER_ADVANCED if position == "squad_leader" else TIER_INSERVICE


@transaction.atomic
def load(stdout, password):
    units = ensure_units()
    created = 0
    squads = [c for c in units if c.count("-") == 2]
    rng = random.Random(20260101)
    for i, name in enumerate(NAMES):
        number = f"ZF{i + 1:04d}"
        if Officer.objects.filter(employee_number=number).exists():
            continue
        user, _ = _user(f"zf{i + 1:04d}", password, first_name=name)
        user.groups.add(Group.objects.get(name=roles.OFFICER))
        position = "squad_leader" if i % 10 == 0 else ("legal_officer" if i % 13 == 5 else "officer")
        Officer.objects.create(
            user=user, employee_number=number, full_name=name, unit=units[squads[i % len(squads)]],
            position=position, hire_date=datetime.date(2010 + rng.randrange(0, 16), rng.randrange(1, 13), 1),
            certificate_number=f"320{rng.randrange(100000, 999999)}" if i % 7 else "",
            training_tier=_demo_tier(position, i % 7 != 0),
        )
        created += 1
    for username, (role, unit_code, full_name, position, number) in DEMO_USERS.items():
        user, new = _user(username, password, first_name=full_name)
        user.groups.add(Group.objects.get(name=role))
        if role != roles.OFFICER:
            # Staff study too: every demo login can also use the learning pages.
            user.groups.add(Group.objects.get(name=roles.OFFICER))
        Officer.objects.get_or_create(user=user, defaults={
            "employee_number": number, "full_name": full_name, "unit": units[unit_code], "position": position,
            "hire_date": datetime.date(2018, 3, 1),
            "certificate_number": f"32010{number[2:]}" if role == roles.OFFICER else "",
            "training_tier": (TIER_ADVANCED if role in (roles.TRAINER, roles.LEGAL_REVIEWER)
                              else _demo_tier(position, True)),
        })
        created += int(new)
    for i, name in enumerate(AUXILIARY_NAMES):
        number = f"XG{i + 1:04d}"
        if Officer.objects.filter(employee_number=number).exists():
            continue
        user, _ = _user(f"xg{i + 1:04d}", password, first_name=name)
        user.groups.add(Group.objects.get(name=roles.OFFICER))
        Officer.objects.create(
            user=user, employee_number=number, full_name=name, unit=units[squads[i % len(squads)]],
            position="officer", hire_date=datetime.date(2022 + i % 3, 4, 1), training_tier=TIER_ENTRY,
            personnel_category=PERSONNEL_AUXILIARY)
        created += 1
    # Demo data loaded before officers had a training tier: give them one once.
    for o in Officer.objects.filter(training_tier="", employee_number__startswith="ZF"):
        Officer.objects.filter(pk=o.pk).update(training_tier=_demo_tier(o.position, bool(o.certificate_number)))
    _user("admin", password, first_name="系统管理员", superuser=True)
    stdout.write(f"  units: {Unit.objects.count()}, officers: {Officer.objects.count()} ({created} new)")
