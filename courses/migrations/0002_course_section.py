"""Create the course section (课程中心, slug "courses") under the HomePage, and
the page permissions: trainers add and edit courses and lessons, legal
reviewers publish them."""
from django.db import migrations

PAGE_PERMS = {
    "trainer": ["add_page", "change_page"],
    "legal_reviewer": ["change_page", "publish_page"],
}
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _perm(apps, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    perm, _ = Permission.objects.get_or_create(content_type=ct, codename=codename,
                                               defaults={"name": codename.replace("_", " ")})
    return perm


def _child_path(Page, parent):
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    n = int(last.path[-4:], 36) + 1 if last else 1
    suffix = ""
    for _i in range(4):
        suffix = ALPHABET[n % 36] + suffix
        n //= 36
    return parent.path + suffix


def create_section(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("portal", "HomePage")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    index = CourseIndexPage.objects.first()
    home = HomePage.objects.order_by("path").first()
    if index is None and home is not None:
        ct, _ = ContentType.objects.get_or_create(app_label="courses", model="courseindexpage")
        index = CourseIndexPage.objects.create(
            title="课程中心", draft_title="课程中心", slug="courses", content_type=ct,
            path=_child_path(Page, home), depth=home.depth + 1, numchild=0,
            url_path=home.url_path + "courses/", locale_id=home.locale_id, live=True,
            intro="分层分类、分阶段的城市管理综合执法培训课程：初任培训、岗位培训、专项培训、骨干·师资。")
        Page.objects.filter(pk=home.pk).update(numchild=Page.objects.filter(
            path__startswith=home.path, depth=home.depth + 1).count())
    if index is None:
        return
    for group in Group.objects.filter(name__in=list(PAGE_PERMS)):
        for codename in PAGE_PERMS[group.name]:
            GroupPagePermission.objects.get_or_create(group=group, page_id=index.pk, permission=_perm(apps, codename))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("portal", "0002_create_homepage"),
        ("officers", "0002_roles"),
        ("casebank", "0003_cases_section_and_review"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_section, migrations.RunPython.noop)]
