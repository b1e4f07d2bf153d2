/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

let lateOnDashboard = null;

// A KCC agent opens the dashboard from the menu, reads the first-line
// resolution against its target, and opens the late cases it counts: the
// late list shows as many.
registry.category("web_tour.tours").add("leuven_kcc_dashboard_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="leuven_kcc.kcc_menu_root"]',
            run: "click",
        },
        {
            trigger: '.o_main_navbar [data-menu-xmlid="leuven_kcc.kcc_menu_reporting"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="leuven_kcc.kcc_menu_dashboard"]',
            run: "click",
        },
        {
            trigger: ".o_kcc_first_line:contains(Doelstelling: 60 %)",
        },
        {
            trigger: ".o_kcc_first_line .badge:contains(oelstelling)",
        },
        {
            trigger: ".o_kcc_dashboard_table th:contains(Mediaan antwoordtijd (uren))",
        },
        {
            trigger: ".o_kcc_trend .o_graph_renderer",
        },
        {
            trigger: ".o_kcc_late_now .display-5",
            run() {
                lateOnDashboard = this.anchor.textContent.trim();
            },
        },
        {
            trigger: ".o_kcc_late_now",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:contains(Te laat)",
        },
        {
            trigger: ".o_list_view .o_pager_value",
            run() {
                const limit = document.querySelector(".o_pager_limit").textContent.trim();
                if (limit !== lateOnDashboard) {
                    throw new Error(
                        `The late list shows ${limit} cases, the dashboard ${lateOnDashboard}`
                    );
                }
            },
        },
    ],
});
