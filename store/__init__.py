"""Storage code: signed checkpoints of the chain, backup and restore (a later issue moves the rest here)."""
