/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A KCC agent registers a phone call as a case and transfers it to a department.
registry.category("web_tour.tours").add("leuven_kcc_agent_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="leuven_kcc.kcc_menu_root"]',
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains(Dossiers)",
        },
        {
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Boom valt bijna om",
        },
        {
            trigger: ".o_field_widget[name=contact_email] input",
            run: "edit beller@example.com",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name]:contains(KCC/)",
        },
        {
            trigger: "button[name=action_open_transfer_wizard]:contains(Doorverwijzen)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=to_group_id] input",
            run: "edit Tour Groen",
        },
        {
            trigger: ".ui-autocomplete .ui-menu-item a:contains(Tour Groen)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Openbaar groen, niet voor het KCC",
        },
        {
            trigger: ".modal button[name=action_transfer]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_field_widget[name=handler_group_id] input:value(Tour Groen)",
        },
    ],
});

// The department handler finds the case in his queue and answers it.
registry.category("web_tour.tours").add("leuven_kcc_handler_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="leuven_kcc.kcc_menu_root"]',
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains(Wachtrij van mijn groepen)",
        },
        {
            trigger: ".o_data_row td:contains(Boom valt bijna om)",
            run: "click",
        },
        {
            trigger: "button[name=action_assign_to_me]",
            run: "click",
        },
        {
            trigger: "button[name=action_start]",
            run: "click",
        },
        {
            trigger: ".o_notebook a:contains(Antwoord)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=resolution] .odoo-editor-editable",
            run: "editor De boom wordt morgen gesnoeid.",
        },
        {
            trigger: "button[name=action_answer]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Beantwoord)",
        },
    ],
});
