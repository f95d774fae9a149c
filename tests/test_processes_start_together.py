"""Web processes started together on a new database each create the view tables and the sign-in
table: none of them may fail to boot because another created a table first (PostgreSQL's
CREATE TABLE IF NOT EXISTS races; a gunicorn worker once died of it in CI)."""

from __future__ import annotations

import threading

import pytest

from store.credentials import Credentials
from store.views import ViewStore

pytestmark = pytest.mark.backends("sqlite", "postgres")


def test_stores_opened_together_on_a_new_database_all_start(database_url: str) -> None:
    starting, failures, stores = threading.Barrier(6), [], []

    def start() -> None:
        starting.wait()
        try:
            store = ViewStore(database_url)
            stores.append(store)
            Credentials(store).set_password("li.lei", "correct horse battery")
        except Exception as error:  # (collected: the assertion below names it)
            failures.append(repr(error))

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    assert failures == []
