"""Curating the dossier from chat: parse admins' commands, preview, apply, undo, and the history.

requests.py  what an admin asked for, parsed from the command (pure, no database)
apply.py     preview a request against the dossier, then write it with its change record
undo.py      invert an admin's last change, whatever it was (including /review decisions)
history.py   the change log read back: status history, /changes, timeline and digest events
"""
