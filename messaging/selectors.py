"""Messaging's reads for the admin are plain querysets in its ModelAdmins; the senders and
recipients a message may have are resolved from the org mirror in messaging.senders and
messaging.recipients."""
