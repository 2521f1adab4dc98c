"""The SyncRun admin (read-only), the "Sync now" button, confirm-gone and release."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from dialpad_console.forbidden import denied

from .choices import Status
from .engine import ENTITIES
from .models import SyncRun
from .selectors import held_gone_list, sync_run_heartbeat, sync_run_in_progress
from .services import (
    RUN_SYNC_PERMISSION, sync_gone_confirm, sync_now_request, sync_run_release,
)

STATUS_COLOURS = {
    Status.RUNNING: "#205067",
    Status.SUCCEEDED: "#2e7d32",
    Status.FAILED: "#ba2121",
    Status.PARTIAL: "#b26a00",
    Status.ERRORED: "#ba2121",
    Status.NEEDS_REVIEW: "#b26a00",
    Status.REFUSED: "#666",
}
# How often the page that waits for a requested sync to start looks again.
SYNC_STARTED_REFRESH_SECONDS = 2


def status_badge(run):
    badge = format_html(
        '<strong style="color:{}">{}</strong>', STATUS_COLOURS.get(run.status, "#333"),
        run.get_status_display(),
    )
    heartbeat = sync_run_heartbeat(run)
    if heartbeat is not None and heartbeat.stale:
        return format_html('{} <span class="sync-stale" style="color:#ba2121">({})</span>',
                           badge, heartbeat.text)
    return badge


def held_row(held):
    """A held object as the confirmation lists it: name (a link to its page), kind, when it
    was last read from Dialpad, and what confirming does to it."""
    obj = held.obj
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    last = (formats.localize(timezone.localtime(obj.last_seen_at))
            if obj.last_seen_at else "never")
    return {"name": format_html('<a href="{}">{}</a>', url, obj),
            "kind": opts.verbose_name[:1].upper() + opts.verbose_name[1:],
            "entity": held.entity, "last_seen": last, "marked": held.marked, "why": held.why}


def duration_text(seconds):
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds:02d} s"


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = (
        "__str__", "status_display", "by", "started_at", "duration_display", "counts_display",
        "calls",
    )
    list_display_links = ("__str__",)
    list_filter = ("status", "trigger", "dry_run")
    list_select_related = ("requested_by",)
    date_hierarchy = "started_at"
    fields = (
        "status_display", "trigger", "requested_by", "dry_run", "started_at", "finished_at",
        "duration_display", "heartbeat_display", "phase", "progress", "counts_table",
        "timings_table", "api_calls", "retries", "rate_limited", "error",
        "pending_gone_display", "gone_confirmed_by", "gone_confirmed_at", "abandoned_display",
        "outcomes_display", "log_display", "traceback_display",
    )
    readonly_fields = fields

    # Runs are records: nobody adds, edits or deletes them here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- columns ----------------------------------------------------------------------------

    @admin.display(description="status", ordering="status")
    def status_display(self, run):
        return status_badge(run)

    # Merged columns with short headers: the list fits a 1,366-pixel screen beside the filters.
    @admin.display(description="by", ordering="trigger")
    def by(self, run):
        """Who or what started it: a console user, or the trigger (schedule...)."""
        if run.requested_by_id:
            return str(run.requested_by)
        return run.get_trigger_display()

    @admin.display(description="API calls (429s)", ordering="api_calls")
    def calls(self, run):
        return f"{run.api_calls} ({run.rate_limited})" if run.rate_limited else str(run.api_calls)

    @admin.display(description="duration")
    def duration_display(self, run):
        return duration_text(run.duration)

    @admin.display(description="heartbeat")
    def heartbeat_display(self, run):
        heartbeat = sync_run_heartbeat(run)
        return heartbeat.text if heartbeat is not None else "—"

    @admin.display(description="abandoned")
    def abandoned_display(self, run):
        if run.abandoned_at is None:
            return "—"
        who = run.abandoned_by or "automatically (its claim was taken over)"
        when = formats.localize(timezone.localtime(run.abandoned_at))
        return format_html("{}, {}: {}", when, who, run.abandon_reason)

    @admin.display(description="changes")
    def counts_display(self, run):
        if run.status == Status.REFUSED:
            return "—"
        return run.counts_summary()

    @admin.display(description="counts")
    def counts_table(self, run):
        entities = [e for e in ENTITIES if e in run.counts] + [
            e for e in run.counts if e not in ENTITIES]
        if not entities:
            return "—"
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (e, run.counts[e].get("created", 0), run.counts[e].get("updated", 0),
                 run.counts[e].get("unchanged", 0), run.counts[e].get("gone", 0),
                 run.counts[e].get("held", 0) or "")
                for e in entities
            ),
        )
        return format_html(
            '<table class="sync-counts"><thead><tr><th>entity</th><th>created</th>'
            "<th>updated</th><th>unchanged</th><th>gone</th><th>held for review</th></tr>"
            "</thead><tbody>{}</tbody></table>", rows,
        )

    @admin.display(description="timings")
    def timings_table(self, run):
        if not run.timings:
            return "—"
        return format_html_join(
            ", ", "{}: {}", ((phase, duration_text(s)) for phase, s in run.timings.items())
        )

    @admin.display(description="held gone marks")
    def pending_gone_display(self, run):
        if not run.pending_gone:
            return "—"
        return format_html_join(
            mark_safe("<br>"), "{}: {} held",
            ((entity, len(ids)) for entity, ids in run.pending_gone.items()),
        )

    @admin.display(description="per-object outcomes")
    def outcomes_display(self, run):
        if not run.outcomes:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{} {}: {} ({})</li>",
                ((o.get("entity"), o.get("id"), o.get("outcome"), o.get("reason"))
                 for o in run.outcomes),
            ),
        )

    @admin.display(description="log")
    def log_display(self, run):
        return format_html('<pre style="white-space:pre-wrap">{}</pre>', run.log or "—")

    @admin.display(description="traceback")
    def traceback_display(self, run):
        if not run.traceback:
            return "—"
        return format_html('<pre style="white-space:pre-wrap">{}</pre>', run.traceback)

    # --- the buttons ------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("sync-now/", self.admin_site.admin_view(self.sync_now_view),
                 name="%s_%s_sync_now" % info),
            path("sync-now/started/", self.admin_site.admin_view(self.sync_started_view),
                 name="%s_%s_sync_started" % info),
            path("<int:object_id>/confirm-gone/",
                 self.admin_site.admin_view(self.confirm_gone_view),
                 name="%s_%s_confirm_gone" % info),
            path("<int:object_id>/release/", self.admin_site.admin_view(self.release_view),
                 name="%s_%s_release" % info),
        ] + super().get_urls()

    def _changelist_url(self):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    @method_decorator(require_POST)
    def sync_now_view(self, request):
        """Queue a sync of the whole org (POST, syncjobs.run_sync), then follow it: to the
        page that waits for the run to start, which leads to the run's page; when refused,
        to the page of the run in progress (or of the refusal), which says why."""
        if not request.user.has_perm(RUN_SYNC_PERMISSION):
            raise denied(RUN_SYNC_PERMISSION)
        # The run this request starts gets a higher id than any before it.
        last_pk = SyncRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        result = sync_now_request(actor=request.user)
        (messages.success if result.queued else messages.error)(request, result.message)
        if not result.queued:
            running = sync_run_in_progress()
            return HttpResponseRedirect(self._run_url(running or result.refused_run))
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(
            reverse("admin:%s_%s_sync_started" % info) + f"?after={last_pk}")

    def sync_started_view(self, request):
        """Where "Sync now" leads: the page of the first run this admin requested after run
        `after` (?after=<id>) once a worker has started it; until then a page saying it waits,
        which refreshes itself."""
        if not (request.user.has_perm(RUN_SYNC_PERMISSION)
                or self.has_view_permission(request)):
            raise denied(RUN_SYNC_PERMISSION)
        after = request.GET.get("after", "")
        after = int(after) if after.isascii() and after.isdecimal() and len(after) < 19 else 0
        run = (SyncRun.objects.filter(pk__gt=after, requested_by=request.user)
               .order_by("pk").only("pk").first())
        if run is not None:
            return HttpResponseRedirect(self._run_url(run))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": "Waiting for the sync to start",
            "refresh_seconds": SYNC_STARTED_REFRESH_SECONDS,
            "changelist_url": self._changelist_url(),
        }
        return TemplateResponse(request, "admin/syncjobs/syncrun/sync_started.html", context)

    @method_decorator(require_POST)
    def confirm_gone_view(self, request, object_id):
        """Apply the gone marks a needs-review run held back (POST, syncjobs.run_sync).

        The run page's button posts here without `post`: a page listing every object that
        would be marked gone (name, kind, link, last read). Its form posts `post=yes`.
        """
        if not request.user.has_perm(RUN_SYNC_PERMISSION):
            raise denied(RUN_SYNC_PERMISSION)
        run = get_object_or_404(SyncRun, pk=object_id)
        if request.POST.get("post") == "yes":
            ok, message = sync_gone_confirm(actor=request.user, run=run)
            (messages.success if ok else messages.error)(request, message)
            return HttpResponseRedirect(self._run_url(run))
        if not run.can_confirm_gone:
            messages.warning(request, f"{run} has no held gone marks to confirm.")
            return HttpResponseRedirect(self._run_url(run))
        held = held_gone_list(run)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": f"{run}: mark these objects gone?", "run": run,
            "run_url": self._run_url(run), "held": [held_row(h) for h in held],
            "marked": sum(h.marked for h in held),
        }
        return TemplateResponse(
            request, "admin/syncjobs/syncrun/confirm_gone.html", context)

    def _run_url(self, run):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                       args=[run.pk])

    @method_decorator(require_POST)
    def release_view(self, request, object_id):
        """Release a stuck run (POST, syncjobs.run_sync): a confirmation page, then do it.

        The run page's button posts here without `post`: that shows what releasing does.
        The confirmation posts `post=yes` (and `alive=yes` when the run still beats).
        """
        if not request.user.has_perm(RUN_SYNC_PERMISSION):
            raise denied(RUN_SYNC_PERMISSION)
        run = get_object_or_404(SyncRun, pk=object_id)
        refusal = ""
        if request.POST.get("post") == "yes":
            ok, message = sync_run_release(actor=request.user, run=run,
                                           alive_confirmed=request.POST.get("alive") == "yes")
            if ok:
                messages.success(request, message)
                return HttpResponseRedirect(self._run_url(run))
            refusal = message
            run.refresh_from_db()
        heartbeat = sync_run_heartbeat(run)
        if heartbeat is None:  # finished (perhaps meanwhile)
            messages.warning(request, f"{run} is not running: there is nothing to release.")
            return HttpResponseRedirect(self._run_url(run))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": f"Release {run}?", "run": run, "refusal": refusal,
            "heartbeat": heartbeat, "run_url": self._run_url(run),
        }
        return TemplateResponse(
            request, "admin/syncjobs/syncrun/release_confirmation.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_run_sync": request.user.has_perm(RUN_SYNC_PERMISSION),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_run_sync": request.user.has_perm(RUN_SYNC_PERMISSION),
        }
        return super().change_view(request, object_id, form_url, extra_context=extra_context)
