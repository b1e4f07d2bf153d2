"""IPDC/LPDC product catalogue client and mapping, without Odoo."""
