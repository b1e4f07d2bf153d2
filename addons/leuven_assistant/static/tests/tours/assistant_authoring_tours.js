import { registry } from "@web/core/registry";

const FORM = ".o_form_view";
const MODAL = ".modal .o_form_view";

function state(value) {
    return { trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current[data-value=${value}]` };
}

// A topic author adds an outcome and a rule to a draft without typing JSON:
// the condition is a row of the builder, the outcome is picked by its title
// before anything is saved; then he submits the version for review.
registry.category("web_tour.tours").add("leuven_assistant_author_tour", {
    steps: () => [
        state("draft"),
        // a question's visibility uses the same builder (about other questions)
        {
            trigger: `${FORM} .o_field_widget[name=question_ids] td:contains(Welke kleur glas?)`,
            run: "click",
        },
        { trigger: `${MODAL} .o_field_widget[name=visible_if] .o_assistant_condition_group` },
        { trigger: `${MODAL} .o_assistant_condition .o_assistant_add_row:disabled` },
        { trigger: ".modal .o_form_button_cancel", run: "click" },
        { trigger: `${FORM} .o_notebook a[name=outcomes]`, run: "click" },
        {
            trigger: `${FORM} .o_field_widget[name=outcome_ids] .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            trigger: `${MODAL} .o_field_widget[name=title] input`,
            run: "edit Gekleurde glasbak && press Tab",
        },
        // the technical key is made from the title
        { trigger: `${MODAL} .o_field_widget[name=key] input:value(gekleurde_glasbak)` },
        { trigger: ".modal .o_form_button_save", run: "click" },
        { trigger: `${FORM} .o_field_widget[name=outcome_ids] td:contains(Gekleurde glasbak)` },
        { trigger: `${FORM} .o_notebook a[name=rules]`, run: "click" },
        {
            trigger: `${FORM} .o_field_widget[name=rule_ids] .o_field_x2many_list_row_add a`,
            run: "click",
        },
        { trigger: `${MODAL} .o_assistant_condition .o_assistant_add_row`, run: "click" },
        {
            trigger: `${MODAL} .o_assistant_condition_row select.o_assistant_row_question`,
            run: "selectByLabel Welke kleur glas",
        },
        {
            trigger: `${MODAL} .o_assistant_condition_row select.o_assistant_row_value`,
            run: "selectByLabel Gekleurd glas",
        },
        // a nested group, added and removed again
        { trigger: `${MODAL} .o_assistant_condition .o_assistant_add_group`, run: "click" },
        {
            trigger: `${MODAL} .o_assistant_condition_group .o_assistant_condition_group .o_assistant_remove_group`,
            run: "click",
        },
        {
            trigger: `${MODAL} .o_assistant_condition:not(:has(.o_assistant_condition_group .o_assistant_condition_group))`,
        },
        // the JsonLogic underneath, for advanced authors
        { trigger: `${MODAL} .o_assistant_condition .o_assistant_edit_json`, run: "click" },
        { trigger: `${MODAL} textarea.o_assistant_condition_json:value(gekleurd)` },
        { trigger: `${MODAL} .o_assistant_condition .o_assistant_use_rows`, run: "click" },
        { trigger: `${MODAL} .o_assistant_condition_row select.o_assistant_row_value` },
        // the outcome added above, not saved yet, is offered by its title
        { trigger: `${MODAL} select.o_assistant_outcome`, run: "selectByLabel Gekleurde glasbak" },
        { trigger: ".modal .o_form_button_save", run: "click" },
        {
            trigger: `${FORM} .o_field_widget[name=rule_ids] tr:contains("Welke kleur glas? = Gekleurd glas"):contains(Gekleurde glasbak)`,
        },
        { trigger: `${FORM} button[name=action_submit_review]`, run: "click" },
        state("to_review"),
        // his own version: he cannot approve it
        { trigger: `${FORM}:not(:has(button[name=action_approve]))` },
    ],
});

// A second author reviews the submitted version and publishes it.
registry.category("web_tour.tours").add("leuven_assistant_reviewer_tour", {
    steps: () => [
        state("to_review"),
        { trigger: `${FORM} .o_notebook a[name=rules]`, run: "click" },
        {
            trigger: `${FORM} .o_field_widget[name=rule_ids] tr:contains("Welke kleur glas? = Gekleurd glas"):contains(Gekleurde glasbak)`,
        },
        { trigger: `${FORM} button[name=action_approve]`, run: "click" },
        state("published"),
    ],
});
