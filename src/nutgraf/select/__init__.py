"""Selection: which sentences of a story an editor would lift into its bullets."""
