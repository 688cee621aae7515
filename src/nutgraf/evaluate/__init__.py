"""Evaluation: ROUGE against peers and baselines, and figure scoring.

Nothing in the product imports this package; only the command line does.
"""
