"""Whatever is typed into the sign-in form, the answer is a refused sign-in, never a server error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import CSRF

pytestmark = pytest.mark.backends("memory", "postgres")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user=st.text(max_size=200), password=st.text(max_size=200), lang=st.text(max_size=10), n=st.integers(0, 255))
def test_any_text_in_the_sign_in_form_is_refused_cleanly(app, user: str, password: str, lang: str, n: int) -> None:
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    form = {"username": user, "password": password, "lang": lang, "next": user, "csrf_token": token}
    answer = client.post("/login", data=form, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
    assert answer.status_code in (401, 429)
