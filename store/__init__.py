"""Storage: what touches the database, the library's persistence or the files under the event store.

``domain`` stays free of it; the application and the views reach storage through here.
"""
