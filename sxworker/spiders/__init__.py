"""The sxworker spider."""
