/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";
import { createMap, loadLeaflet, readMapConfig } from "@leuven_kcc/leaflet/kcc_leaflet";

/** The public map of open reports: points from /kcc/meldingen/kaart.json. */
publicWidget.registry.KccPublicMap = publicWidget.Widget.extend({
    selector: ".o_kcc_public_map",

    async start() {
        await this._super(...arguments);
        const config = readMapConfig(this.el);
        const L = await loadLeaflet();
        this.map = createMap(L, this.el, config);
        this.map.setView(config.center, 14);
        const count = document.querySelector(".o_kcc_public_map_count");
        let reports = [];
        try {
            const response = await fetch("/kcc/meldingen/kaart.json", {
                headers: { Accept: "application/json" },
            });
            reports = (await response.json()).reports || [];
        } catch {
            reports = [];
        }
        for (const report of reports) {
            const marker = L.circleMarker([report.lat, report.lon], {
                radius: 8,
                weight: 2,
                fillOpacity: 0.6,
            }).addTo(this.map);
            const popup = document.createElement("div");
            const title = document.createElement("strong");
            title.textContent = report.category || _t("Report");
            const details = document.createElement("div");
            details.textContent = `${report.status} · ${report.date}`;
            popup.append(title, details);
            marker.bindPopup(popup);
        }
        if (count) {
            count.textContent =
                reports.length === 1
                    ? _t("1 open report on the map.")
                    : _t("%s open reports on the map.", reports.length);
        }
    },

    destroy() {
        this.map?.remove();
        this._super(...arguments);
    },
});
