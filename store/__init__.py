"""Code that touches the database or the file system under the event store (``domain`` stays free of it)."""
