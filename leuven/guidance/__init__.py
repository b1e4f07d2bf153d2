"""Guidance trajectories (begeleiden): partner access, stages, proactive proposals."""
