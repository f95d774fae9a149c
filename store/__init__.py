"""Code that reads or writes the event store and the library's persistence directly."""
