/** @odoo-module */

import { registry } from "@web/core/registry";

// A handler waits on the citizen: the question to him is required and sent.
registry.category("web_tour.tours").add("leuven_kcc_handler_waits_tour", {
    steps: () => [
        {
            trigger: "button[name=action_wait]:contains(Wachten op klant)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=question] textarea",
            run: "edit Aan welk huisnummer ligt de put?",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Wacht op klant)",
        },
        {
            trigger: ".o-mail-Message-body:contains(Aan welk huisnummer ligt de put?)",
        },
    ],
});

// The citizen reads the question on his page and replies.
registry.category("web_tour.tours").add("leuven_kcc_citizen_replies_tour", {
    steps: () => [
        {
            trigger: ".o_kcc_waiting:contains(Wij wachten op uw antwoord)",
        },
        {
            trigger: ".o_kcc_waiting_question:contains(Aan welk huisnummer ligt de put?)",
        },
        {
            trigger: ".o_kcc_waiting textarea[name=body]",
            run: "edit Aan nummer 12, naast de bakker.",
        },
        {
            trigger: ".o_kcc_reply_form button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_kcc_citizen_state:contains(In behandeling)",
        },
        {
            trigger: "body:not(:has(.o_kcc_waiting))",
        },
        {
            // the conversation shows the question and his reply, in Dutch
            trigger:
                "#chatterRoot:shadow .o-mail-Message-body:contains(naast de bakker)",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Thread:not(:has(.o-mail-Thread-empty))",
        },
    ],
});

// The handler finds the case back in progress, with the reply to look at.
registry.category("web_tour.tours").add("leuven_kcc_handler_sees_reply_tour", {
    steps: () => [
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(In behandeling)",
        },
        {
            trigger: ".o-mail-Message-body:contains(naast de bakker)",
        },
        {
            trigger: ".o-mail-Activity:contains(Antwoord van klant)",
        },
    ],
});
