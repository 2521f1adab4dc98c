"""Who can send what in the simulator's demo org (for the messaging tests)."""


def a2p_sender(state):
    """(user id, from-number): an active user whose own number is A2P-registered."""
    m = state.messaging
    for uid, user in state.users.items():
        numbers = user.get("phone_numbers") or []
        if user["state"] == "active" and numbers and numbers[0] in m.a2p_numbers:
            return uid, numbers[0]
    raise LookupError("no A2P sender in this org")


def unregistered_sender(state):
    """(user id, from-number): an active user whose number is not A2P-registered."""
    m = state.messaging
    for uid, user in state.users.items():
        numbers = user.get("phone_numbers") or []
        if user["state"] == "active" and numbers and numbers[0] not in m.a2p_numbers:
            return uid, numbers[0]
    raise LookupError("every sender is registered")


def opted_out_number(state):
    return next(n for n, e in state.messaging.opt_outs.items()
                if e["opt_out_state"] == "opted_out")


def customers(count, start=2000):
    """`count` valid external numbers: +1 415 555 2000, 2001, ..."""
    return [f"+1415555{start + i:04d}" for i in range(count)]
