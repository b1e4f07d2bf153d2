import { registry } from "@web/core/registry";

// A citizen logs in with Mijn Burgerprofiel, files a report without typing
// his name or address, and finds it in his portal.
registry.category("web_tour.tours").add("leuven_burgerprofiel_login_tour", {
    url: "/web/login",
    steps: () => [
        {
            trigger: "a.o_burgerprofiel_button",
            run: "click",
        },
        {
            // back from the provider, logged in, on the portal home
            trigger: ".o_portal_my_home, .o_portal",
        },
        {
            trigger: "body",
            run() {
                window.location.href = "/kcc/report";
            },
        },
        {
            trigger: ".o_kcc_report_form input[name=subject]",
            run: "edit Put in het fietspad",
        },
        {
            trigger: "input[name=street]",
            run: "edit Naamsestraat 1",
        },
        {
            trigger: "input[name=postcode]",
            run: "edit 3000",
        },
        {
            trigger: ".o_kcc_form button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_kcc_thanks .o_kcc_reference:contains(KCC/)",
        },
        {
            trigger: ".o_kcc_thanks a[href$='/my/cases']",
            run: "click",
        },
        {
            trigger: "td:contains(Put in het fietspad)",
        },
    ],
});
