"""Leuven Helpt: districts and the ranking of volunteers for a help request."""
