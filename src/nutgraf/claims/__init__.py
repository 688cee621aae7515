"""Claims: the figures a story reports and whom it credits with each."""
