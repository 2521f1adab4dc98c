"""The WSGI application gunicorn serves (dialpad_console/gunicorn.conf.py)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialpad_console.settings")

application = get_wsgi_application()

# What start-up built (Django, the apps, their modules) lives as long as the process: moved
# out of the collector's reach, a full collection no longer walks it. A list of 100 users
# allocates enough to trigger one every 20-odd requests, which took ~80 ms with it and
# ~15 ms without (scripts/bench_search.py measures through this module). Garbage first, so
# none of it is kept for good.
gc.collect()
gc.freeze()
