"""Code that touches the database or the library's persistence (a later issue moves the rest here)."""
