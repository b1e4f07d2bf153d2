/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A citizen reports a problem on the website and follows it in the portal.
registry.category("web_tour.tours").add("leuven_kcc_citizen_report_tour", {
    url: "/kcc/report",
    steps: () => [
        {
            trigger: ".o_kcc_report_form h1:contains(Meld een probleem)",
        },
        {
            trigger: "input[name=subject]",
            run: "edit Fietspad vol glas",
        },
        {
            trigger: "textarea[name=description]",
            run: "edit Gebroken flessen over het hele fietspad.",
        },
        {
            trigger: "input[name=street]",
            run: "edit Tervuursevest 101",
        },
        {
            trigger: "input[name=postcode]",
            run: "edit 3001",
        },
        {
            trigger: ".o_kcc_form button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_kcc_thanks .o_kcc_reference:contains(KCC/)",
        },
        {
            trigger: ".o_kcc_thanks a[href='/my/cases']",
            run: "click",
        },
        {
            trigger: "td:contains(Fietspad vol glas)",
        },
        {
            trigger: "a:contains(KCC/)",
            run: "click",
        },
        {
            trigger: ".o_kcc_citizen_state:contains(Ontvangen)",
        },
        {
            // the portal chatter has loaded its messages (or says it has none):
            // its requests, sent together, are not left in flight when the tour
            // ends and hit the next test's cursor
            trigger:
                "#chatterRoot:shadow .o-mail-Thread:not(:has(> .o-mail-Thread-empty:empty))",
        },
    ],
});

// An agent takes a phone call, sees the caller's history and answers at once.
registry.category("web_tour.tours").add("leuven_kcc_agent_phone_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="leuven_kcc.kcc_menu_root"]',
            run: "click",
        },
        {
            trigger: ".o_menu_sections button:contains(Dossiers)",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains(Klantcontact registreren)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=search_text] input",
            run: "edit 016 44 55 66 && click .modal-body",
        },
        {
            trigger: ".modal .o_field_widget[name=partner_id] input:value(Tour Beller)",
        },
        {
            trigger: ".modal .o_field_widget[name=history_case_ids] td:contains(Eerdere vraag over parkeren)",
        },
        {
            trigger: ".modal .o_field_widget[name=summary] textarea",
            run: "edit Vroeg naar de openingsuren van het containerpark; meteen beantwoord.",
        },
        {
            trigger: ".modal button[name=action_answered]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});

// A handler closes an answered case; the citizen then sees it in the portal.
registry.category("web_tour.tours").add("leuven_kcc_handler_close_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="leuven_kcc.kcc_menu_root"]',
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:contains(Open) .o_facet_remove",
            run: "click",
        },
        {
            trigger: ".o_data_row td:contains(Vraag over de bewonerskaart)",
            run: "click",
        },
        {
            trigger: "button[name=action_close]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Afgesloten)",
        },
    ],
});

registry.category("web_tour.tours").add("leuven_kcc_citizen_sees_closed_tour", {
    url: "/my/cases?filterby=all",
    steps: () => [
        {
            trigger: "tr:has(td:contains(Vraag over de bewonerskaart)) a:contains(KCC/)",
            run: "click",
        },
        {
            trigger: ".o_kcc_citizen_state:contains(Afgesloten)",
        },
        {
            trigger: ".o_kcc_resolution:contains(bewonerskaart aanvragen)",
        },
        {
            // as above: the chatter is loaded before the tour ends
            trigger:
                "#chatterRoot:shadow .o-mail-Thread:not(:has(> .o-mail-Thread-empty:empty))",
        },
    ],
});
