"""Background work that survives a crash: the outbox (work owed after a
commit, recorded in the same transaction), leases renewed by a heartbeat
while work runs, and the sweep that takes up what a dead process left."""
