"""The personas a ledger test walks through, anonymous included."""

PERSONAS = ["clerk_a", "leader_a", "clerk_b", "supervisor", "discipline", "inspector", "anonymous"]


def persona(personas, name):
    return None if name == "anonymous" else personas[name]
