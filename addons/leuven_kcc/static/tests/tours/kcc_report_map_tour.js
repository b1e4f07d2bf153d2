/** @odoo-module */

import { registry } from "@web/core/registry";

// A visitor without an account places the pin of his report on the map (with
// the keyboard, then through the address search) and sends the report.
registry.category("web_tour.tours").add("leuven_kcc_report_map_tour", {
    url: "/kcc/report",
    steps: () => [
        {
            // the map is shown once its script runs
            trigger: ".o_kcc_map_picker:not(.d-none) .o_kcc_map.leaflet-container",
        },
        {
            // keyboard: Enter on the map places the pin in its middle
            trigger: ".o_kcc_map.leaflet-container",
            run() {
                const map = document.querySelector(".o_kcc_map");
                map.focus();
                map.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
            },
        },
        {
            trigger: ".o_kcc_map .leaflet-marker-icon",
        },
        {
            // the reverse lookup filled the address of the point
            trigger: ".o_kcc_map_status:contains(Grote Markt 9, 3000 Leuven)",
        },
        {
            trigger: ".o_kcc_address_search",
            run: "edit Diestsesteenweg 120",
        },
        {
            trigger: ".o_kcc_address_suggestion:contains(Diestsesteenweg 120, 3010 Leuven)",
            run: "click",
        },
        {
            trigger: ".o_kcc_map_status:contains(Diestsesteenweg 120, 3010 Leuven)",
        },
        {
            trigger: "input[name=subject]",
            run: "edit Losliggende stoeptegel",
        },
        {
            trigger: "textarea[name=description]",
            run: "edit Een tegel ligt los voor de bushalte.",
        },
        {
            trigger: "input[name=contact_email]",
            run: "edit melder.kaart@example.com",
        },
        {
            trigger: ".o_kcc_form button[type=submit]:not([name])",
            run: "click",
        },
        {
            trigger: ".o_kcc_thanks .o_kcc_reference:contains(KCC/)",
        },
    ],
});

// A handler of the case sees its pin on the case form and moves it.
registry.category("web_tour.tours").add("leuven_kcc_case_map_tour", {
    steps: () => [
        {
            trigger: ".o_field_kcc_map .o_kcc_map_field_map .leaflet-marker-icon",
        },
        {
            trigger: ".o_field_kcc_map .o_kcc_map_field_coordinates:contains(50.879200, 4.700900)",
        },
        {
            // a click on the map moves the pin there (the handler may)
            trigger: ".o_field_kcc_map .o_kcc_map_field_map.leaflet-container",
            run() {
                const el = document.querySelector(".o_field_kcc_map .o_kcc_map_field_map");
                const rect = el.getBoundingClientRect();
                const options = {
                    bubbles: true,
                    clientX: rect.left + rect.width / 2 + 40,
                    clientY: rect.top + rect.height / 2,
                };
                el.dispatchEvent(new MouseEvent("click", options));
            },
        },
        {
            trigger: ".o_field_kcc_map .o_kcc_map_field_coordinates:not(:contains(50.879200, 4.700900))",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
    ],
});
