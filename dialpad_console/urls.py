from django.contrib import admin
from django.urls import path, re_path
from django.views.generic import RedirectView

from dialpad_console.health import views as health
from events.views import dialpad_webhook
from orgs.admin.global_search import global_search_view

# A denial in the admin's frame, naming the missing permission (dialpad_console.forbidden).
handler403 = "dialpad_console.forbidden.permission_denied"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    # Probes for load balancers and supervisors (answered by health.views.ProbeMiddleware).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The global search of every admin page's header (orgs.admin.global_search), behind the
    # admin's login; before admin.site.urls, whose catch-all would answer it 404.
    path("admin/search/", admin.site.admin_view(global_search_view), name="global_search"),
    path("admin/", admin.site.urls),
    # Dialpad's webhook (events.views): outside the admin's login and CSRF. With or without
    # the trailing slash: APPEND_SLASH cannot redirect a POST.
    re_path(r"^webhooks/dialpad/?$", dialpad_webhook, name="dialpad_webhook"),
]
