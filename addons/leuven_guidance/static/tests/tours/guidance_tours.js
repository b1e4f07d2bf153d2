/** @odoo-module */

import { registry } from "@web/core/registry";

// A KCC agent starts a guidance trajectory from the citizen's case, for one
// of the dwellings the citizen holds.
registry.category("web_tour.tours").add("leuven_guidance_agent_start_tour", {
    steps: () => [
        {
            trigger: ".o_form_view button[name=action_guidance_start]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=type_id] input",
            run: "edit Woningbegeleiding",
        },
        {
            trigger: ".ui-autocomplete .ui-menu-item a:contains(Woningbegeleiding)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=dwelling_ids] input",
            run: "edit Naamsestraat",
        },
        {
            trigger: ".ui-autocomplete .ui-menu-item a:contains(Naamsestraat 96)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=dwelling_ids] .o_tag:contains(Naamsestraat 96)",
        },
        {
            trigger: ".modal button[name=action_start]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        // the new trajectory's form: its first stage, the case, the dwelling
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Eerste gesprek)",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=case_id]:contains(Hoe isoleer ik mijn dak), " +
                ".o_form_view .o_field_widget[name=case_id] input:value(Hoe isoleer ik mijn dak)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=dwelling_ids] .o_data_row:contains(Naamsestraat 96)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=dwelling_ids]:not(:contains(Tiensestraat))",
        },
    ],
});

// The citizen completes the data of his dwelling in the portal: a year that
// cannot be is refused in Dutch with what he typed kept, then saved.
registry.category("web_tour.tours").add("leuven_guidance_citizen_dwelling_tour", {
    steps: () => [
        {
            trigger: "a[href='/my/trajectories']:contains(Mijn begeleidingen)",
            run: "click",
        },
        {
            trigger: "tr:contains(Woningbegeleiding) a[href^='/my/trajectories/']",
            run: "click",
        },
        {
            trigger: ".o_guidance_trajectory a[href^='/my/dwellings/']:contains(Naamsestraat 96)",
            run: "click",
        },
        {
            trigger: ".o_guidance_dwelling_form input[name=construction_year]",
            run: "edit 3000",
        },
        {
            trigger: ".o_guidance_dwelling_form select[name=heating_type]",
            run: "select heat_pump",
        },
        {
            trigger: ".o_guidance_dwelling_form button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_guidance_errors:contains(Niet bewaard)",
        },
        {
            trigger: ".invalid-feedback:contains(Het bouwjaar moet tussen 1500 en)",
        },
        {
            trigger: ".o_guidance_dwelling_form input[name=construction_year].is-invalid:value(3000)",
        },
        {
            trigger: ".o_guidance_dwelling_form select[name=heating_type]:value(heat_pump)",
        },
        {
            trigger: ".o_guidance_dwelling_form input[name=construction_year]",
            run: "edit 1975",
        },
        {
            trigger: ".o_guidance_dwelling_form button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_guidance_saved:contains(Uw wijzigingen zijn bewaard)",
        },
        {
            trigger: ".o_guidance_dwelling_form input[name=construction_year]:not(.is-invalid):value(1975)",
        },
        {
            trigger: ".o_guidance_dwelling_form select[name=heating_type]:value(heat_pump)",
        },
    ],
});

// A partner organisation's user reads its part of the trajectory: the
// dwelling and the categories granted to it, nothing else.
registry.category("web_tour.tours").add("leuven_guidance_partner_tour", {
    steps: () => [
        {
            trigger: "tr:contains(Woningbegeleiding) a[href^='/my/trajectories/']",
            run: "click",
        },
        {
            trigger: ".o_guidance_trajectory h2:contains(Woningbegeleiding)",
        },
        // the dwelling granted, to read, not to edit; not the other one
        {
            trigger: ".o_guidance_trajectory li span:contains(Naamsestraat 96)",
        },
        {
            trigger: ".o_guidance_trajectory:not(:contains(Tiensestraat))",
        },
        {
            trigger: ".o_guidance_trajectory:not(:has(a[href^='/my/dwellings/']))",
        },
        // the citizen's own links and contact data are not his
        {
            trigger: ".o_guidance_trajectory:not(:has(.o_guidance_access_link))",
        },
        {
            trigger: "body:not(:contains(016 12 34 56))",
        },
        // documents are not granted: no file, neither listed nor on a message
        {
            trigger: ".o_guidance_trajectory:not(:has(.o_guidance_documents))",
        },
        // the messages are granted: the coach's, once loaded
        {
            trigger: "#chatterRoot:shadow .o-mail-Message-body:contains(Huisbezoek gepland)",
        },
        {
            trigger:
                "#chatterRoot:shadow .o-mail-Message:contains(Uw offerte):not(:contains(offerte.pdf))",
        },
    ],
});
