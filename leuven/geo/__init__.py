"""Places in Flanders: coordinates and the Flemish address register, no Odoo."""
