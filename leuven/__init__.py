"""Framework-free engines and clients of the Leuven KCC suite.

Nothing below this package imports Odoo: the addons gather records, call these
functions with plain data and write the results back.
"""
