/** @odoo-module **/

import { registry } from "@web/core/registry";
import { _t } from "@web/core/l10n/translation";

// When the telephone platform announces a call for this agent, open the
// quick-contact screen with the caller's number and history.
export const kccIncomingCallService = {
    dependencies: ["bus_service", "action", "notification"],
    start(env, { bus_service, action, notification }) {
        bus_service.subscribe("kcc_incoming_call", (payload) => {
            notification.add(payload.partner_name || payload.caller, {
                title: _t("Incoming call"),
                type: "info",
            });
            action.doAction({
                type: "ir.actions.act_window",
                res_model: "kcc.quick.contact",
                views: [[false, "form"]],
                target: "new",
                name: _t("Incoming call"),
                context: {
                    default_search_text: payload.caller,
                    default_contact_id: payload.contact_id,
                    default_channel: "phone",
                },
            });
        });
        bus_service.start();
    },
};

registry.category("services").add("kcc_incoming_call", kccIncomingCallService);
