"""The digital assistant's topic packages and engine, without Odoo."""
