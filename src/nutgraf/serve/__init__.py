"""Serving: the HTTP API, the SQLite store of stories and the editors' page."""
