"""Run as a script by test_push_views_concurrent_submits: two threads submit the same "Add
room" form page at the same moment, as two requests of a web server would.

Argument: the id of an office of the simulator. Prints one JSON object: the two answers'
statuses, and the rooms and journal rows the console has afterwards.
"""

import json
import re
import sys
import threading

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from orgs.admin import once  # noqa: E402
from orgs.models import PushRecord, Room  # noqa: E402
from tests import factories  # noqa: E402

NAME = "Concurrent lobby"


def main(office_id):
    setup_test_environment()  # the test client's host is allowed
    office = factories.OfficeFactory(dialpad_id=office_id)
    login = factories.admin_who_may_push()
    url = f"{reverse('admin:orgs_room_create')}?office={office.pk}"
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(login)
    page = clients[0].get(url).content.decode()
    token = re.search(rf'name="{once.TOKEN}" value="([^"]+)"', page).group(1)
    barrier = threading.Barrier(2)
    statuses = []

    def submit(client):
        try:
            barrier.wait()
            statuses.append(client.post(url, {"name": NAME, once.TOKEN: token}).status_code)
        except Exception as exc:  # noqa: BLE001 -- reported to the test
            statuses.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    print(json.dumps({"statuses": sorted(statuses, key=str),
                      "rooms": Room.objects.filter(name=NAME).count(),
                      "journal": PushRecord.objects.count()}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
