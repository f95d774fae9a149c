"""Tamper evidence: every stored event is chained to the one before it.

Each link is a SHA-256 over the previous link, the event's log position, aggregate id,
version, topic and stored state bytes. The links are written by recorder subclasses
(``recorders.py``, selected through the library's ``APPLICATION_RECORDER_TOPIC``) in the
same transaction as the events, so the chain follows the notification order exactly.
"""
