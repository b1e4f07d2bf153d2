"""Webhooks on Odoo's API keys, outgoing messages on endpoint records.

- Each telephony system gets its technical user. Its old token cannot become
  an API key (Odoo stores keys hashed, a key is made by Odoo, not chosen):
  an administrator issues a new key on the system's form and gives it to the
  platform; until then its calls are refused (401).
- The planning system's inbound token goes the same way (a key of the user
  "Planning system", issued on the planning endpoint's form).
- The planning URL and token move from the system parameters to the endpoint
  ``planning``; the read timeout of the outbox to every endpoint; waiting
  messages point at their endpoint.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import sql

_logger = logging.getLogger(__name__)

PLANNING_URL = "leuven_kcc.planning_url"
PLANNING_TOKEN = "leuven_kcc.planning_token"
PLANNING_INBOUND_TOKEN = "leuven_kcc.planning_inbound_token"
READ_TIMEOUT = "leuven_kcc.outbox_read_timeout"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    _telephony_users(env)
    _planning_endpoint(env)
    link_outbox_rows(cr)
    for column in ("url", "token_param"):
        if sql.column_exists(cr, "kcc_outbox", column):
            cr.execute(
                sql.SQL(
                    "ALTER TABLE kcc_outbox DROP COLUMN %s", sql.SQL.identifier(column)
                )
            )


def _telephony_users(env):
    cr = env.cr
    systems = env["kcc.telephony.system"].with_context(active_test=False).search([])
    systems._ensure_api_user()
    if sql.column_exists(cr, "kcc_telephony_system", "token"):
        cr.execute("SELECT count(*) FROM kcc_telephony_system WHERE token IS NOT NULL")
        (with_token,) = cr.fetchone()
        cr.execute("ALTER TABLE kcc_telephony_system DROP COLUMN token")
        cr.execute(
            "DELETE FROM ir_model_constraint "
            "WHERE name = 'kcc_telephony_system_token_uniq'"
        )
        if with_token:
            _logger.warning(
                "%s telephony system(s) authenticated with a token: tokens are "
                "replaced by API keys, which Odoo stores hashed, so none could be "
                "converted. Issue a key on each system's form (New API Key) and "
                "give it to the platform; its calls are refused until then.",
                with_token,
            )


def _planning_endpoint(env):
    params = env["ir.config_parameter"]
    endpoint = env.ref("leuven_kcc.kcc_outbox_endpoint_planning", False)
    url = params.get_param(PLANNING_URL)
    token = params.get_param(PLANNING_TOKEN)
    timeout = params.get_param(READ_TIMEOUT)
    if endpoint:
        values = {}
        if url and not endpoint.url:
            values["url"] = url
        if token and not endpoint.token:
            values.update(auth_type="bearer", token=token)
        if values:
            endpoint.write(values)
    if timeout:
        try:
            seconds = float(timeout)
        except ValueError:
            seconds = 0
        if 0 < seconds <= 300:
            env["kcc.outbox.endpoint"].with_context(active_test=False).search([]).write(
                {"read_timeout": seconds}
            )
    if params.get_param(PLANNING_INBOUND_TOKEN):
        _logger.warning(
            "The planning system's status updates now authenticate with an API "
            "key of the user 'Planning system': issue one on the planning "
            "endpoint's form (New API Key) and give it to the planning system; "
            "its old token is refused."
        )
    env.cr.execute(
        "DELETE FROM ir_config_parameter WHERE key IN %s",
        [(PLANNING_URL, PLANNING_TOKEN, PLANNING_INBOUND_TOKEN)],
    )
    # Mijn Burgerprofiel's endpoints read the timeout in their own migration
    env.cr.execute(
        "SELECT 1 FROM ir_module_module WHERE name = 'leuven_burgerprofiel' "
        "AND state IN ('installed', 'to upgrade')"
    )
    if not env.cr.fetchone():
        env.cr.execute("DELETE FROM ir_config_parameter WHERE key = %s", [READ_TIMEOUT])
    env.registry.clear_cache()


def link_outbox_rows(cr):
    """Point the messages without endpoint at the endpoint of their target."""
    cr.execute(
        "UPDATE kcc_outbox o SET endpoint_id = e.id FROM kcc_outbox_endpoint e "
        "WHERE o.endpoint_id IS NULL AND e.code = o.target"
    )
