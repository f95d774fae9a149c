"""The OpenAPI document is the one saved before issue 12's reorganisation, byte for byte."""

from pathlib import Path

from api import create_app

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "openapi.json"


def test_openapi_document_is_unchanged():
    app = create_app({"DATABASE_URL": "memory://", "SECRET_KEY": "k" * 40})
    answer = app.test_client().get("/api/openapi.json")
    assert answer.status_code == 200
    assert answer.data == GOLDEN.read_bytes()
