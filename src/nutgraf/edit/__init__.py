"""Editing: each chosen sentence cut and opened as an editor writes a bullet."""
