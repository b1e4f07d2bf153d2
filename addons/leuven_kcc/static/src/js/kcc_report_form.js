/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";

// "Use my current location" on the report form: fills the hidden coordinates.
publicWidget.registry.KccReportForm = publicWidget.Widget.extend({
    selector: ".o_kcc_report_form",
    events: {
        "click .o_kcc_locate": "_onLocate",
    },

    _onLocate() {
        const status = this.el.querySelector(".o_kcc_location_status");
        if (!navigator.geolocation) {
            status.textContent = _t("Your browser cannot share its location.");
            return;
        }
        status.textContent = _t("Looking up your location…");
        navigator.geolocation.getCurrentPosition(
            (position) => {
                this.el.querySelector("input[name=latitude]").value = position.coords.latitude;
                this.el.querySelector("input[name=longitude]").value = position.coords.longitude;
                status.textContent = _t("Location added.");
            },
            () => {
                status.textContent = _t("Your location could not be determined; give the address.");
            }
        );
    },
});
