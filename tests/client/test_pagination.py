import math

from dialpad_console.dialpad import parse_id

from .conftest import client_requests, query_of


def test_it_follows_the_cursor_across_pages_until_there_is_none(sim_factory, make_client):
    sim = sim_factory(org="demo", page_size=7)
    client = make_client(sim)

    ids = [parse_id(user["id"]) for user in client.iter_items("/api/v2/users")]

    assert len(ids) > 7
    assert len(ids) == len(set(ids))
    pages = len(client_requests(sim))
    assert pages == math.ceil(len(ids) / 7) or pages == len(ids) // 7 + 1
    assert set(ids) == {
        parse_id(u["id"]) for u in make_client(sim_factory(org="demo", page_size=1000))
        .get("/api/v2/users")["items"]
    }


def test_it_sends_the_cursor_of_the_previous_page(sim_factory, make_client):
    sim = sim_factory(org="demo", page_size=7)
    client = make_client(sim)

    list(client.iter_pages("/api/v2/users"))

    queries = [query_of(r) for r in client_requests(sim)]
    assert "cursor" not in queries[0]
    assert all(q.get("cursor") for q in queries[1:])
    assert len({q["cursor"] for q in queries[1:]}) == len(queries) - 1


def test_it_sends_nothing_until_the_first_page_is_asked_for(sim_factory, make_client):
    sim = sim_factory(org="demo", page_size=7)
    pages = make_client(sim).iter_pages("/api/v2/users")
    assert client_requests(sim) == []
    next(pages)
    assert len(client_requests(sim)) == 1


def test_it_fetches_the_next_page_only_after_the_previous_one_is_consumed(
        sim_factory, make_client):
    sim = sim_factory(org="demo", page_size=7)
    pages = make_client(sim).iter_pages("/api/v2/users")

    first = next(pages)
    assert len(first) == 7
    assert len(client_requests(sim)) == 1
    next(pages)
    assert len(client_requests(sim)) == 2


def test_it_repeats_the_query_parameters_on_every_page(sim_factory, make_client):
    sim = sim_factory(org="demo", page_size=7)
    client = make_client(sim)

    list(client.iter_items("/api/v2/users", {"state": "active"}))

    queries = [query_of(r) for r in client_requests(sim)]
    assert len(queries) > 1
    assert all(q.get("state") == "active" for q in queries)


def test_it_sends_booleans_as_true_and_false(client, sim):
    client.get("/api/v2/users", {"company_admin": True})
    client.get("/api/v2/users", {"company_admin": False})
    assert [query_of(r)["company_admin"] for r in client_requests(sim)] == ["true", "false"]


def test_a_listing_of_one_page_takes_one_request(sim_factory, make_client):
    sim = sim_factory(org="demo", page_size=1000)
    pages = list(make_client(sim).iter_pages("/api/v2/offices"))
    assert len(pages) == 1
    assert len(client_requests(sim)) == 1
