"""The company: ``GET /company``."""

from __future__ import annotations

from .common import API


def company_get(app, r):
    return dict(app.state.company)


def register(route) -> None:
    route(f"{API}/company", get=company_get)
