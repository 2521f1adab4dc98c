"""How the admin shows things: URLs of admin pages, links to rows, badges and table cells.

Everything here returns text or safe HTML and reads only what it is given (no query of its
own), so a column built from these costs nothing per row beyond the relations the ModelAdmin
selects.
"""

import html
import re
from functools import lru_cache
from urllib.parse import urlencode

import phonenumbers

from django.conf import settings
from django.db.models import Model
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from dialpad_console.formats import console_datetime

EMPTY = "—"


def admin_page_url(obj_or_model, name, *args, **query):
    """The URL of a page of the model's admin, by its URL name's suffix ("change",
    "changelist", or a push view's name), with its arguments and a query string."""
    opts = obj_or_model._meta
    url_name = f"admin:{opts.app_label}_{opts.model_name}_{name}"
    if len(args) == 1 and isinstance(args[0], int):
        url = id_url(url_name, args[0])
    else:
        url = reverse(url_name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


_ID = "918273645"  # an id argument as a URL is reversed with, then replaced


@lru_cache(maxsize=None)
def _id_url_pattern(url_name, urlconf, script_prefix):
    return reverse(url_name, args=[_ID]).rsplit(_ID, 1)


def id_url(url_name, id_):
    """reverse(url_name, args=[id_]) for an integer id, from the URL reversed once: a
    changelist links a row or two per row, and reverse() costs as much as the rest of a cell.
    """
    before, after = _id_url_pattern(url_name, settings.ROOT_URLCONF, get_script_prefix())
    return f"{before}{id_}{after}"


def admin_url(obj, view="change"):
    """The URL of obj's admin page (`view`: "change", "delete", "history"...)."""
    return admin_page_url(obj, view, obj.pk)


def changelist_url(model, **filters):
    """The URL of model's changelist, filtered by `filters` (query parameters)."""
    return admin_page_url(model, "changelist", **filters)


def link(obj, text=None):
    """A link to obj's admin page; plain text for something that is not a mirrored row."""
    if obj is None:
        return EMPTY
    if not isinstance(obj, Model):
        return str(obj)
    return format_html('<a href="{}">{}</a>', admin_url(obj), obj if text is None else text)


def kind_tagged(text, kind_label, url=""):
    """text (a link when url is given) followed by the kind of what it names."""
    if url:
        return format_html('<a href="{}">{}</a> <span class="dialpad-kind">{}</span>', url,
                           text, kind_label)
    return format_html('{} <span class="dialpad-kind">{}</span>', text, kind_label)


def gone_badge(obj):
    """A "Gone" badge (saying since when) for a row gone from Dialpad; "" for one still there."""
    if getattr(obj, "gone_at", None) is None:
        return ""
    return format_html(
        '<span class="dialpad-gone" title="Gone from Dialpad since {}">Gone</span>',
        short_datetime(obj.gone_at),
    )


def short_datetime(moment):
    return console_datetime(moment)


def number_target(number):
    """What a number is assigned to: a link to the mirrored target, else its type and id."""
    target = number.target
    if target is not None:
        return kind_tagged(link(target), number.get_target_type_display())
    if number.target_type:
        return f"{number.get_target_type_display()} {number.target_id or ''}".strip()
    return EMPTY


def breakable(text):
    """An email or domain that may wrap after its "@" and dots (<wbr>), not mid-word."""
    # Escaping first is safe: no entity html.escape writes has an "@" or a dot.
    return mark_safe(_WRAP_AFTER.sub(r"\g<0><wbr>", html.escape(text)))


_WRAP_AFTER = re.compile(r"[@.]")


@lru_cache(maxsize=8192)  # a list shows the same numbers page after page
def readable_number(e164, style="international"):
    """An E.164 number as people write it: "+1 415-555-0100" (international) or
    "(415) 555-0100" (national); the text given when it is not a valid number."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164 or ""
    if not phonenumbers.is_possible_number(parsed):
        return e164
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if style == "national"
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(parsed, fmt)


def number_text(e164):
    """A number for reading, with its E.164 form beside it when the two differ."""
    readable = readable_number(e164)
    if readable == e164:
        return e164
    return format_html('{}<br><span class="dialpad-e164">{}</span>', readable, e164)


def number_links(numbers):
    """Links to the numbers' pages, one a line: the number for reading, its E.164 form in the
    link's title (and in the page it opens)."""
    # What format_html_join would write, without its per-value machinery: a list has a few
    # hundred of these a page.
    return mark_safe("<br>".join(
        '<a href="%s" title="%s">%s</a>' % (html.escape(admin_url(n)), html.escape(n.number),
                                            html.escape(readable_number(n.number)))
        for n in numbers))


def e911_link(obj):
    """A link to an office's or user's E911 address, if the console has one."""
    return link(getattr(obj, "e911_address", None))


# --- Cells of a table: (obj -> what the cell shows) -------------------------------------------


def choice_cell(name):
    """The display value of obj's choice field `name`."""
    return lambda obj: getattr(obj, f"get_{name}_display")() or EMPTY


def attribute_cell(name):
    """obj's attribute `name`, or a dash."""
    return lambda obj: getattr(obj, name) or EMPTY


def gone_banner(obj, cause):
    """What a gone row's page says on top: since when, who removed it and how (`cause`, a
    selectors.GoneCause, or None when the console does not know)."""
    since = short_datetime(obj.gone_at)
    kept = "Kept here for the record."
    if cause is None:
        return format_html("Gone from Dialpad since {}. {}", since, kept)
    if cause.by_sync:
        run = (format_html('<a href="{}">sync run #{}</a>',
                           reverse("admin:syncjobs_syncrun_change", args=[cause.sync_run_id]),
                           cause.sync_run_id) if cause.sync_run_id else "a sync")
        confirmed = format_html(", confirmed by {}", cause.confirmed_by) if (
            cause.confirmed_by) else ""
        return format_html("Gone from Dialpad since {}: not in a complete listing of {}{}. {}",
                           since, run, confirmed, kept)
    push = format_html(' (<a href="{}" class="dialpad-gone-push">the push</a>)',
                       admin_url(cause.push)) if cause.push is not None else ""
    return format_html("Removed from Dialpad on {} by {}, with a console push{}: {}. {}",
                       short_datetime(cause.when), cause.actor, push,
                       cause.message.rstrip("."), kept)


# --- Hours of operation -----------------------------------------------------------------------

WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def day_spans(times):
    """["08:00", "12:00", "14:00", "18:00"] -> "08:00–12:00, 14:00–18:00"; [] -> "Closed"."""
    if not isinstance(times, list) or not times:
        return "Closed"
    texts = [str(t) for t in times]
    spans = [f"{texts[i]}–{texts[i + 1]}" for i in range(0, len(texts) - 1, 2)]
    if len(texts) % 2:  # an odd list: Dialpad's data, shown as it is rather than dropped
        spans.append(f"{texts[-1]}–?")
    return ", ".join(spans)


def week_hours(obj):
    """The hours of operation in a payload (an office's, department's or call center's) as a
    week table, with whether they apply: a group's `hours_on` false means it takes calls at
    any time, whatever its hours say. Dialpad's `<day>_hours` lists open/close pairs."""
    payload = obj.payload or {}
    given = [day for day in WEEK if f"{day}_hours" in payload]
    hours_on = payload.get("hours_on")
    zone = getattr(obj, "timezone", "") or "the time zone Dialpad has for it"
    if hours_on is False:
        note = ("Hours off: takes calls at any time (24/7). The hours below are kept in "
                "Dialpad but not applied.")
    elif not given:
        return "Dialpad gives no hours of operation for it."
    elif hours_on:
        note = format_html("Hours on: takes calls only in these hours, in {}.", zone)
    else:
        note = format_html("In {}.", zone)
    if not given:
        return note
    rows = format_html_join(
        "", '<tr><th scope="row">{}</th><td>{}</td></tr>',
        ((day.capitalize(), day_spans(payload.get(f"{day}_hours"))) for day in WEEK))
    return format_html('<p class="dialpad-hours-note">{}</p><table class="dialpad-hours">'
                       "<tbody>{}</tbody></table>", note, rows)


# --- History messages ---------------------------------------------------------------------------

# What a History message names that has a page: a number (E.164), a sync run.
_REFERENCE = re.compile(r"(?P<number>\+\d{8,15})\b|Sync run #(?P<run>\d+)")


def linked_messages(messages):
    """The History messages with the numbers and sync runs they name as links to their pages
    (one query for all the numbers), escaped HTML; a number the console lacks stays text."""
    from ..models import PhoneNumber  # display reads no model otherwise

    wanted = {m["number"] for text in messages for m in _REFERENCE.finditer(text)
              if m["number"]}
    numbers = dict(PhoneNumber.objects.filter(number__in=wanted).values_list("number", "pk"))

    def linked(text):
        parts, last = [], 0
        for match in _REFERENCE.finditer(text):
            parts.append(format_html("{}", text[last:match.start()]))
            if match["number"] and match["number"] in numbers:
                url = id_url("admin:orgs_phonenumber_change", numbers[match["number"]])
                parts.append(format_html('<a href="{}">{}</a>', url, match["number"]))
            elif match["run"]:
                url = id_url("admin:syncjobs_syncrun_change", int(match["run"]))
                parts.append(format_html('<a href="{}">{}</a>', url, match.group(0)))
            else:
                parts.append(format_html("{}", match.group(0)))
            last = match.end()
        parts.append(format_html("{}", text[last:]))
        return mark_safe("".join(parts))

    return [linked(text) for text in messages]
