"""The DOSIS address, token and timeout move from the system parameters to
the endpoints ``dosis`` and ``dosis_notification`` (the notifications go to
the status address when none of their own was set, as before); waiting
messages point at their endpoint."""

from odoo import SUPERUSER_ID, api

PARAM = "leuven_burgerprofiel.%s"
READ_TIMEOUT = "leuven_kcc.outbox_read_timeout"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    url = params.get_param(PARAM % "dosis_url")
    notification_url = params.get_param(PARAM % "notification_url") or url
    token = params.get_param(PARAM % "dosis_token")
    timeout = params.get_param(READ_TIMEOUT)
    try:
        seconds = float(timeout or 0)
    except ValueError:
        seconds = 0
    for xmlid, address in (
        ("leuven_burgerprofiel.kcc_outbox_endpoint_dosis", url),
        (
            "leuven_burgerprofiel.kcc_outbox_endpoint_dosis_notification",
            notification_url,
        ),
    ):
        endpoint = env.ref(xmlid, False)
        if not endpoint:
            continue
        values = {}
        if address and not endpoint.url:
            values["url"] = address
        if token and not endpoint.token:
            values.update(auth_type="bearer", token=token)
        if 0 < seconds <= 300:
            values["read_timeout"] = seconds
        if values:
            endpoint.write(values)
    cr.execute(
        "UPDATE kcc_outbox o SET endpoint_id = e.id FROM kcc_outbox_endpoint e "
        "WHERE o.endpoint_id IS NULL AND e.code = o.target"
    )
    cr.execute(
        "DELETE FROM ir_config_parameter WHERE key IN %s",
        [
            (
                PARAM % "dosis_url",
                PARAM % "notification_url",
                PARAM % "dosis_token",
                READ_TIMEOUT,
            )
        ],
    )
    env.registry.clear_cache()
