"""Marshmallow schemas: strict request bodies (unknown fields → 422) and documented answers."""
