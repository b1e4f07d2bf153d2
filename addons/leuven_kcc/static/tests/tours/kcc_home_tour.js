/** @odoo-module */

import { registry } from "@web/core/registry";

// An anonymous visitor finds every way to reach the city in the menu: no
// entry hides behind the menu's unlabelled "+".
registry.category("web_tour.tours").add("leuven_kcc_home_menu_tour", {
    url: "/",
    steps: () => [
        {
            // the menu has been laid out (entries that do not fit moved)
            trigger: "#top_menu:not(.o_menu_loading)",
        },
        {
            trigger: "#top_menu:not(:has(.o_extra_menu_items))",
        },
        {
            trigger: "#top_menu a.nav-link:contains(Meld een probleem):visible",
            run: "click",
        },
        {
            trigger: ".o_kcc_report_form h1:contains(Meld een probleem)",
        },
    ],
});
