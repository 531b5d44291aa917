"""Trainers upload images and documents into the 课程资料 and 案例资料 collections,
limited to safe types and sizes; documents stay behind the collection's privacy."""
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission

from courses import uploads
from tests.factories import login

Document = get_document_model()
Image = get_image_model()

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def course_collection(db):
    return Collection.objects.get(name="课程资料", depth=2)


def png_bytes():
    out = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def add_document(client, name, data, collection):
    return client.post(reverse("wagtaildocs:add"), {
        "title": name, "collection": collection.pk, "file": SimpleUploadedFile(name, data),
    })


def add_image(client, name, data, collection):
    return client.post(reverse("wagtailimages:add"), {
        "title": name, "collection": collection.pk, "file": SimpleUploadedFile(name, data),
    })


def file_errors(response):
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["form"].errors.get("file", []))


def test_migration_creates_both_collections_for_trainers_and_is_idempotent(db):
    migration = importlib.import_module("courses.migrations.0007_trainer_uploads")
    before = GroupCollectionPermission.objects.count()
    migration.grant_uploads(django_apps, None)
    assert GroupCollectionPermission.objects.count() == before
    for name in ("课程资料", "案例资料"):
        collection = Collection.objects.get(name=name, depth=2)
        codenames = set(GroupCollectionPermission.objects.filter(
            collection=collection, group__name="trainer").values_list("permission__codename", flat=True))
        assert codenames == {"add_image", "choose_image", "add_document", "choose_document"}
    assert Collection.get_first_root_node().get_children().filter(name="案例资料").count() == 1


def test_trainer_uploads_png_and_pdf_into_course_collection(client, trainer_user, course_collection):
    login(client, trainer_user)
    response = add_image(client, "现场照片.png", png_bytes(), course_collection)
    assert response.status_code == 302, response.context["form"].errors
    assert Image.objects.get(collection=course_collection).uploaded_by_user == trainer_user
    response = add_document(client, "讲义.pdf", PDF, course_collection)
    assert response.status_code == 302, response.context["form"].errors
    doc = Document.objects.get(collection=course_collection)
    assert doc.uploaded_by_user == trainer_user
    # they may edit what they uploaded themselves
    assert client.get(reverse("wagtaildocs:edit", args=[doc.pk])).status_code == 200


def test_trainer_uploads_video_through_the_multiple_upload_page(client, trainer_user, course_collection):
    login(client, trainer_user)
    # the admin menu leads to the documents (and its upload page, which shows progress per file)
    assert reverse("wagtaildocs:index") in client.get(reverse("wagtailadmin_home")).content.decode()
    page = client.get(reverse("wagtaildocs:add_multiple"))
    assert page.status_code == 200
    response = client.post(reverse("wagtaildocs:add_multiple"), {
        "files[]": SimpleUploadedFile("执法记录.mp4", MP4), "collection": course_collection.pk,
    })
    assert response.json()["success"] is True
    assert Document.objects.filter(collection=course_collection, file__endswith=".mp4").exists()


def test_svg_image_is_refused_with_a_reason(client, trainer_user, course_collection):
    login(client, trainer_user)
    assert file_errors(add_image(client, "图标.svg", SVG, course_collection))
    assert not Image.objects.exists()


def test_renamed_exe_as_pdf_is_refused_with_a_reason(client, trainer_user, course_collection):
    login(client, trainer_user)
    errors = file_errors(add_document(client, "讲义.pdf", EXE, course_collection))
    assert "文件内容与扩展名 .pdf 不符" in errors
    assert not Document.objects.exists()


def test_disallowed_extension_is_refused(client, trainer_user, course_collection):
    login(client, trainer_user)
    assert file_errors(add_document(client, "setup.exe", EXE, course_collection))
    assert not Document.objects.exists()


def test_document_over_the_size_limit_is_refused(client, trainer_user, course_collection, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_SIZE", len(PDF) - 1)
    login(client, trainer_user)
    assert "文件过大" in file_errors(add_document(client, "讲义.pdf", PDF, course_collection))
    assert not Document.objects.exists()
    # a video has its own, larger limit
    response = add_document(client, "视频.mp4", MP4, course_collection)
    assert response.status_code == 302
    monkeypatch.setattr(uploads, "MAX_VIDEO_SIZE", len(MP4) - 1)
    assert "视频文件过大" in file_errors(add_document(client, "视频2.mp4", MP4, course_collection))


def test_image_over_the_size_limit_is_refused(client, trainer_user, course_collection, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 50
    login(client, trainer_user)
    assert file_errors(add_image(client, "现场照片.png", png_bytes(), course_collection))
    assert not Image.objects.exists()


def test_trainer_cannot_upload_into_a_collection_without_permission(client, trainer_user):
    other = Collection.get_first_root_node().add_child(name="人事资料")
    login(client, trainer_user)
    response = add_document(client, "名单.pdf", PDF, other)
    assert response.status_code == 200
    assert response.context["form"].errors.get("collection")
    assert not Document.objects.exists()


def test_officer_cannot_upload(client, officer_user, course_collection):
    login(client, officer_user)
    response = add_document(client, "讲义.pdf", PDF, course_collection)
    assert response.status_code in (302, 403)
    assert not Document.objects.exists()


def test_private_document_is_not_served_to_anonymous_users(client, trainer_user, course_collection):
    doc = Document.objects.create(title="讲义", collection=course_collection,
                                  file=SimpleUploadedFile("handout.pdf", PDF))
    response = client.get(doc.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    login(client, trainer_user)
    response = client.get(doc.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_video_is_served_inline_for_the_player(client, trainer_user, course_collection):
    doc = Document.objects.create(title="视频", collection=course_collection,
                                  file=SimpleUploadedFile("clip.mp4", MP4))
    login(client, trainer_user)
    response = client.get(doc.url)
    assert response.status_code == 200
    assert not response.get("Content-Disposition", "").startswith("attachment")
