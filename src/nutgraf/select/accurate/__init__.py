"""The accurate tier: the selector reading MiniLM sentence vectors too (the [accurate] extra)."""
