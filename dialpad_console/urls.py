from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from dialpad_console.health import views as health

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    # Probes for load balancers and supervisors (answered by health.views.ProbeMiddleware).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
]
