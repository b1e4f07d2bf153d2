"""Mijn Burgerprofiel, ACM/IDM and authentic sources, without Odoo."""
