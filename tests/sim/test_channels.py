"""The simulator's channels and members."""

from tests.sim.helpers import active_user_ids, error_message


def test_the_demo_org_has_channels_with_members(sim, api):
    channels = api.list_all("/channels")

    assert {c["name"] for c in channels} >= {"general", "it-announcements"}
    general = next(c for c in channels if c["name"] == "general")
    assert len(api.list_all(f"/channels/{general['id']}/members")) > 10


def test_members_are_paged(sim, api):
    sim.page_size = 5
    cid = next(iter(sim.state.messaging.channels))

    members = api.list_all(f"/channels/{cid}/members")

    assert len(members) == len(sim.state.messaging.channel_members[cid])


def test_a_channel_is_created_with_its_owner_as_member(sim, api):
    owner = active_user_ids(sim.state)[0]

    channel = api.post("/channels", json={"name": "facilities", "description": "Doors",
                                          "privacy_type": "public", "user_id": owner}).json()

    assert channel["name"] == "facilities"
    assert [m["id"] for m in api.list_all(f"/channels/{channel['id']}/members")] == [str(owner)]


def test_a_channel_name_is_unique(sim, api):
    owner = active_user_ids(sim.state)[0]

    response = api.post("/channels", json={"name": "general", "description": "",
                                           "privacy_type": "public", "user_id": owner})

    assert response.status_code == 409


def test_a_deleted_channel_is_gone(sim, api):
    cid = next(iter(sim.state.messaging.channels))

    assert api.delete(f"/channels/{cid}").status_code == 200
    assert api.get(f"/channels/{cid}").status_code == 404


def test_members_are_added_and_removed(sim, api):
    cid = min(sim.state.messaging.channels,
              key=lambda c: len(sim.state.messaging.channel_members[c]))
    members = sim.state.messaging.channel_members[cid]
    newcomer = next(u for u in active_user_ids(sim.state) if u not in members)

    added = api.post(f"/channels/{cid}/members", json={"user_id": newcomer})
    twice = api.post(f"/channels/{cid}/members", json={"user_id": newcomer})
    removed = api.delete(f"/channels/{cid}/members", json={"user_id": newcomer})
    not_there = api.delete(f"/channels/{cid}/members", json={"user_id": newcomer})

    assert added.json()["id"] == str(newcomer)
    assert twice.status_code == 409
    assert removed.status_code == 200
    assert not_there.status_code == 400
    assert "is not a member" in error_message(not_there)
