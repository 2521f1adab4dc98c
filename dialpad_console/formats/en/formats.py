"""Dates and times as the console shows them (settings.FORMAT_MODULE_PATH), every page alike:
year first, 24-hour clock, no seconds. The same whatever the admin's browser language."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
# What the date hierarchy and forms accept stays Django's default (ISO first).
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
                          "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1  # Monday
