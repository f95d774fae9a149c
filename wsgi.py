"""WSGI entry point: ``gunicorn 'wsgi:app'`` or ``flask --app wsgi …``."""

from api import create_app, settle_heap

app = create_app()
settle_heap()
