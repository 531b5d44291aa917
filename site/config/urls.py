"""Root URLs. Each app owns the URLs under its own prefixes (its urls.py);
Wagtail's page tree is served last, at the root."""
from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("officers.urls")),
    path("", include("portal.urls")),
    path("", include("casebank.urls")),
    path("", include("courses.urls")),
    path("", include("exams.urls")),
    path("", include("search.urls")),
]

# Only images (and their renditions) are served straight from the media folder.
# Documents (lesson PDFs, videos, attachments) go through Wagtail's document
# view at /documents/, which applies collection privacy; nothing else in the
# data folder is reachable by URL.
def serve_image(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns += [re_path(r"^media/(?P<path>(?:original_images|images)/[^/]+)$", serve_image)]

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"
