import { registry } from "@web/core/registry";

const A = "leuven-assistant:shadow";

function answer(legend, option) {
    return [
        { trigger: `${A} legend:contains(${legend})` },
        { trigger: `${A} label:contains(${option})`, run: "click" },
        { trigger: `${A} button:contains(Volgende)`, run: "click" },
    ];
}

// A citizen runs a topic on the website, reads the result and hands off to
// the KCC with his question; the transcript goes along.
registry.category("web_tour.tours").add("leuven_assistant_citizen_tour", {
    steps: () => [
        ...answer("Staat u ingeschreven", "Ja"),
        ...answer("betalende parkeerzone", "Ja"),
        ...answer("Van wie is de wagen", "Van mij of iemand van mijn gezin"),
        // going back keeps the answers
        { trigger: `${A} legend:contains(Hoeveel bewonerskaarten)` },
        { trigger: `${A} button:contains(Vorige)`, run: "click" },
        { trigger: `${A} legend:contains(Van wie is de wagen)` },
        { trigger: `${A} label:has(input:checked):contains(Van mij of iemand van mijn gezin)` },
        { trigger: `${A} button:contains(Volgende)`, run: "click" },
        ...answer("Hoeveel bewonerskaarten", "Geen"),
        { trigger: `${A} [part~=summary] dd:contains(Van mij of iemand van mijn gezin)` },
        { trigger: `${A} button:contains(Toon het resultaat)`, run: "click" },
        { trigger: `${A} [part~=outcome] h3:contains(U hebt recht op een bewonerskaart)` },
        // the explanation names the outcome, not the rule's technical id
        { trigger: `${A} .why li strong:contains(U hebt recht op een bewonerskaart)` },
        { trigger: `${A} .why:not(:contains(Regel))` },
        { trigger: `${A} button:contains(Ik heb nog een vraag)`, run: "click" },
        // sending without a name: a clear error, nothing lost
        {
            trigger: `${A} textarea[name=message]`,
            run: "edit Krijg ik ook een kaart voor mijn tweede wagen?",
        },
        { trigger: `${A} button:contains(Vraag versturen)`, run: "click" },
        { trigger: `${A} input[name=name][aria-invalid=true]` },
        { trigger: `${A} input[name=name]`, run: "edit Tour Burger Assistent" },
        { trigger: `${A} input[name=email]`, run: "edit tour.assistent@example.com" },
        { trigger: `${A} textarea[name=message]:value(tweede wagen)` },
        { trigger: `${A} button:contains(Vraag versturen)`, run: "click" },
        { trigger: `${A} [part~=handoff] h2:contains(geregistreerd onder nummer KCC/)` },
    ],
});

// A KCC agent on the phone runs a topic from the caller's form and makes a
// case of it.
registry.category("web_tour.tours").add("leuven_assistant_agent_tour", {
    steps: () => [
        { trigger: ".o_form_view button[name=action_open_assistant]", run: "click" },
        { trigger: ".o_assistant_agent select", run: "select leuven.bewonersparkeerkaart" },
        ...answer("Staat u ingeschreven", "Ja"),
        ...answer("betalende parkeerzone", "Nee"),
        { trigger: `${A} button:contains(Toon het resultaat)`, run: "click" },
        { trigger: `${A} [part~=outcome] h3:contains(U hebt geen bewonerskaart nodig)` },
        { trigger: `${A} button:contains(Ik heb nog een vraag)`, run: "click" },
        {
            trigger: `${A} textarea[name=message]`,
            run: "edit Beller wil weten waar de betalende zones liggen.",
        },
        { trigger: `${A} button:contains(Vraag versturen)`, run: "click" },
        { trigger: ".o_assistant_agent .alert-success:contains(KCC/) button", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=partner_id] input:value(Tour Beller Assistent)" },
    ],
});
