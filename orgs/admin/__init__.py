"""The admin of the org mirror: find, filter and follow links; push changes through controls.

Mirrored rows are written by the sync and the service layer only, so every ModelAdmin here is
read-only (no add, change or delete in the admin: a "Save" would log a History entry for a
change Dialpad never saw). Pushes to Dialpad come as explicit controls that call
orgs.services; the change pages have template blocks for them (see
templates/admin/orgs/change_form.html) and `RelatedSection.actions` / `controls_template`.

Reads that are more than a filter live in orgs.selectors, the searches in orgs.search; the query
count of every changelist and change page is constant in the size of the org
(tests/orgs/test_admin_query_counts.py), and scripts/bench_search.py times them at 100,000 users.

Push controls: each ModelAdmin lists its custom push views in `push_views` (routed by
get_urls, wrapped in admin_site.admin_view) and shows the controls of the pushes the admin may
make: object-tools buttons (`get_push_tools`, `get_changelist_tools`), section actions, the
inline "Add operator" form, a "Remove" link per operator. A control whose permission the admin
lacks is not shown (and its view answers 403).

The modules, by concern:

    display       URLs of admin pages, links, badges, table cells
    filters       list filters
    base          ReadOnlyAdmin, MirroredAdmin, NumberSearchMixin; who sees which push control
    sections      the related sections of a change page (RelatedSection, column lists)
    push_views    PushView and the push views (one admin page per push), by sub-domain
    pickers       the push forms' autocompletes (more than a name), routed as <model>/picker/
    bulk_actions  the bulk admin actions of the user changelist
    offices, groups, rooms, users, numbers, operators, e911
                  the ModelAdmins of the mirrored models, by sub-domain (as orgs.services)
    journal       the push journal and the bulk push jobs
    global_search the header's search box's results page (routed in dialpad_console/urls.py)

Django's admin autodiscovery imports this package; importing the ModelAdmin modules below
registers them.
"""

from django.contrib import admin

from . import e911, groups, journal, numbers, offices, operators, rooms, users  # noqa: F401

admin.site.site_header = "Dialpad Console"
admin.site.site_title = "Dialpad Console"
admin.site.index_title = "Administration"
