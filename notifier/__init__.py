"""Notices that reach people (thông báo): who is told what (``table``), the words (``templates``),
the channels (``mail``: SMTP or a folder of .eml files; the inbox is the notices table itself) and
the follower of the gap-free feed that turns events into notices (``follower``)."""
