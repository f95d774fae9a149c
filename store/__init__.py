"""Database plumbing that the library does not do for us: bounded waits, reconnection, outages.

``store.outage`` says whether an error means "the store is unavailable right now" (503, retry)
and keeps a breaker per connection pool; ``store.postgres`` builds the PostgreSQL pools of the
event store and of the views with timeouts, a ping at checkout and that breaker.
"""
