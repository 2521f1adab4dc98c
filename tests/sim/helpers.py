"""Helpers for the simulator's own tests."""

import requests


class Api:
    """A requests.Session bound to one simulator: api.get("/users") -> Response."""

    def __init__(self, sim, key=None):
        self.sim = sim
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {key or sim.api_key}"
        self.session.headers["User-Agent"] = "dialpad-sim-tests"

    def url(self, path):
        return f"{self.sim.base_url}/api/v2{path}"

    def request(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.url(path), **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path, json=None, **kwargs):
        return self.request("DELETE", path, json=json, **kwargs)

    def list_all(self, path, params=None):
        """Every item of a listing, following cursors."""
        params = dict(params or {})
        items = []
        while True:
            response = self.get(path, params=params)
            assert response.status_code == 200, response.text
            page = response.json()
            items += page["items"]
            if not page.get("cursor"):
                return items
            params["cursor"] = page["cursor"]

    def close(self):
        self.session.close()


def error_message(response):
    body = response.json()
    return body["error"]["message"]


def active_user_ids(state, office_id=None):
    return [uid for uid, u in state.users.items()
            if u["state"] == "active" and (office_id is None or u["office_id"] == office_id)]
