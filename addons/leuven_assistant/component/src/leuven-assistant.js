// <leuven-assistant>: the digital assistant of the City of Leuven as a
// standalone custom element (Shadow DOM, no framework). It loads a topic
// package from the assistant's HTTP API, asks one question at a time,
// evaluates locally (evaluate.js, the same results as the server) and hands
// the session over to a case when the citizen still has a question.
import { ApiError, AssistantApi } from "./api.js";
import { evaluate, jsonLogic, path, relevantAnswers, truthy, varsOf } from "./evaluate.js";
import { localized, message } from "./i18n.js";
import { STYLES } from "./styles.js";

export { evaluate, jsonLogic, relevantAnswers, truthy };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER = /^-?\d+(?:[.,]\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const POSTCODE = /^\d{4}$/;
let counter = 0;

/** Create an element: h("p", {class: "x", onclick: fn}, "text", child). */
function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "value" || key === "checked") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function validDate(value) {
  if (!DATE.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const Base = typeof HTMLElement === "undefined" ? class {} : HTMLElement;

export class LeuvenAssistant extends Base {
  static get observedAttributes() {
    return ["topic", "lang", "api-base", "mode", "partner", "preview", "channel"];
  }

  constructor() {
    super();
    this.uid = `la${++counter}`;
    this.attachShadow({ mode: "open" });
    this.shadowRoot.append(h("style", {}, STYLES));
    this.live = h("div", { class: "sr-only", role: "status", "aria-live": "polite" });
    this.noticeBox = h("div", { class: "notice", part: "notice", hidden: true });
    this.body = h("div", { class: "view" });
    this.root = h("div", { class: "assistant" }, this.live, this.noticeBox, this.body);
    this.shadowRoot.append(this.root);
    this.generation = 0;
    this.reset();
  }

  // -- attributes ---------------------------------------------------------

  get lang() {
    return (this.getAttribute("lang") || "nl").toLowerCase().split("-")[0];
  }
  set lang(value) {
    this.setAttribute("lang", value);
  }
  get mode() {
    return this.getAttribute("mode") === "agent" ? "agent" : "citizen";
  }

  connectedCallback() {
    if (!this.loaded) this.load();
  }

  attributeChangedCallback(name, previous, value) {
    if (previous === value || !this.isConnected || !this.loaded) return;
    if (name === "lang") this.render(false);
    else if (!this.reloading) {
      // several attributes set in a row: load once
      this.reloading = true;
      queueMicrotask(() => {
        this.reloading = false;
        this.load();
      });
    }
  }

  // -- state --------------------------------------------------------------

  reset() {
    this.answers = {};
    this.view = { name: "loading" };
    this.returnToSummary = false;
    this.errors = {};
    this.contact = { name: "", email: "", phone: "", message: "" };
    this.sync = Promise.resolve();
    this.session = Promise.resolve(null);
  }

  t(key, params) {
    return message(this.lang, key, params);
  }

  text(value) {
    return localized(value, this.lang);
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  announce(text) {
    this.live.textContent = "";
    setTimeout(() => {
      this.live.textContent = text;
    }, 50);
  }

  notice(text) {
    this.noticeBox.textContent = text || "";
    this.noticeBox.hidden = !text;
  }

  async load() {
    const generation = ++this.generation;
    this.loaded = true;
    this.reset();
    this.notice("");
    this.render(false);
    this.api = new AssistantApi(this.getAttribute("api-base") || "");
    const topic = this.getAttribute("topic");
    const preview = Number.parseInt(this.getAttribute("preview"), 10) || undefined;
    let pkg;
    try {
      if (!topic) throw new ApiError(404, {});
      pkg = await this.api.topic(topic, preview);
    } catch (error) {
      if (generation !== this.generation) return;
      this.view = { name: "error", key: error.status === 404 ? "unknownTopic" : "loadFailed" };
      this.render(false);
      return;
    }
    if (generation !== this.generation) return;
    this.pkg = pkg;
    this.goTo(this.first(), false);
    const body = { topic: pkg.id, channel: this.channel() };
    const partner = Number.parseInt(this.getAttribute("partner"), 10);
    if (this.mode === "agent" && partner) body.partner_id = partner;
    if (preview) body.preview = preview;
    this.session = this.api.startSession(body).then(
      (started) => started && started.session,
      () => null,
    );
    const session = await this.session;
    if (generation !== this.generation) return;
    if (!session) this.notice(this.t("startFailed"));
    this.version = pkg.version;
    this.emit("assistant-start", { topic: pkg.id, session, version: pkg.version });
  }

  channel() {
    if (this.mode === "agent") return "agent";
    return this.getAttribute("channel") === "website" ? "website" : "component";
  }

  path() {
    return path(this.pkg, this.answers);
  }

  relevant() {
    return relevantAnswers(this.pkg, this.answers);
  }

  /** Store the relevant answers on the server, in order, without waiting. */
  store() {
    const answers = this.relevant();
    this.sync = this.sync
      .then(() => this.session)
      .then((session) => session && this.api.postAnswers(session, answers))
      .catch(() => null);
  }

  goTo(view, focus = true) {
    this.view = view;
    this.errors = {};
    this.draft = null;
    this.render(focus);
  }

  // -- navigation ---------------------------------------------------------

  answer(question, value) {
    this.answers[question.id] = value;
    const relevant = this.relevant();
    this.emit("assistant-answer", { question: question.id, value, answers: relevant });
    this.store();
    const questions = this.path();
    if (this.returnToSummary && evaluate(this.pkg, this.answers).complete) {
      this.returnToSummary = false;
      this.goTo({ name: "summary" });
      return;
    }
    const index = questions.findIndex((q) => q.id === question.id);
    const next = questions[index + 1];
    if (next) this.goTo({ name: "question", id: next.id });
    else {
      this.returnToSummary = false;
      this.goTo({ name: "summary" });
    }
  }

  previous() {
    const questions = this.path();
    if (this.view.name === "question") {
      const index = questions.findIndex((q) => q.id === this.view.id);
      if (index > 0) this.goTo({ name: "question", id: questions[index - 1].id });
    } else if (this.view.name === "summary") {
      this.goTo({ name: "question", id: questions[questions.length - 1].id });
    } else {
      this.goTo({ name: "summary" });
    }
  }

  showResult() {
    const state = evaluate(this.pkg, this.answers);
    this.goTo({ name: "result", state });
    this.emit("assistant-outcome", {
      outcomes: state.outcomes.map((o) => o.id),
      trace: state.trace,
    });
  }

  restart() {
    this.answers = {};
    this.returnToSummary = false;
    this.contact = { name: "", email: "", phone: "", message: "" };
    this.store();
    this.goTo(this.first());
  }

  first() {
    const question = this.path()[0];
    return question ? { name: "question", id: question.id } : { name: "summary" };
  }

  // -- rendering ----------------------------------------------------------

  render(focus) {
    this.root.setAttribute("lang", this.lang);
    const view = this.view;
    const renderers = {
      loading: () => h("p", {}, this.t("loading")),
      error: () => h("p", { class: "error", part: "error", role: "alert" }, this.t(view.key)),
      question: () => this.renderQuestion(),
      summary: () => this.renderSummary(),
      result: () => this.renderResult(),
      handoff: () => this.renderHandoff(),
      done: () => this.renderDone(),
    };
    this.body.replaceChildren(renderers[view.name]());
    const heading = this.body.querySelector("[tabindex='-1']");
    if (focus && heading) heading.focus();
    if (view.name === "question") {
      const index = this.path().findIndex((q) => q.id === view.id);
      if (focus) this.announce(this.t("step", { n: index + 1 }));
    } else if (view.name === "result" && focus) {
      const titles = view.state.outcomes.map((o) => this.text(o.title)).join("; ");
      this.announce(this.t("resultAnnounce", { titles: titles || this.t("noOutcome") }));
    } else if (focus && heading) {
      this.announce(heading.textContent);
    }
  }

  button(label, onclick, primary = false, extra = {}) {
    return h(
      "button",
      {
        type: extra.type || "button",
        part: primary ? "button button-primary" : "button",
        class: primary ? "primary" : extra.class,
        onclick,
        "aria-label": extra.label,
      },
      label,
    );
  }

  renderQuestion() {
    const question = this.pkg.questions.find((q) => q.id === this.view.id);
    const questions = this.path();
    const index = questions.findIndex((q) => q.id === question.id);
    const id = `${this.uid}-${question.id}`;
    const help = question.help ? this.text(question.help) : "";
    const error = this.errors.answer;
    const describedBy = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(" ");
    const legend = h(
      "legend",
      { id: `${id}-legend`, part: "legend", tabindex: "-1" },
      h("span", { class: "step" }, this.t("step", { n: index + 1 }), h("br")),
      this.text(question.label),
    );
    const controls = this.renderControls(question, id, describedBy || undefined, !!error);
    const form = h(
      "form",
      {
        class: "question",
        part: "question",
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          this.submitQuestion(question, form);
        },
      },
      h(
        "fieldset",
        { "aria-describedby": describedBy || undefined },
        legend,
        help && h("p", { id: `${id}-help`, class: "help", part: "help" }, help),
        controls,
        error && h("p", { id: `${id}-error`, class: "error", part: "error" }, error),
      ),
      h(
        "div",
        { class: "actions" },
        index > 0 && this.button(this.t("previous"), () => this.previous()),
        this.button(this.t("next"), undefined, true, { type: "submit" }),
      ),
    );
    return form;
  }

  renderControls(question, id, describedBy, invalid) {
    const value = this.answers[question.id];
    const common = {
      "aria-describedby": describedBy,
      "aria-invalid": invalid ? "true" : undefined,
    };
    const choice = (type, options, checked) =>
      options.map((option, index) =>
        h(
          "label",
          { class: "option", part: "option" },
          h("input", {
            type,
            name: id,
            value: String(index),
            checked: checked(option.value),
            ...common,
          }),
          h("span", {}, option.label),
        ),
      );
    const options = (question.options || []).map((o) => ({
      value: o.value,
      label: this.text(o.label),
    }));
    switch (question.type) {
      case "single_choice":
        return choice("radio", options, (v) => value === v);
      case "multiple_choice":
        return choice("checkbox", options, (v) => Array.isArray(value) && value.includes(v));
      case "yes_no":
        return choice(
          "radio",
          [
            { value: true, label: this.t("yes") },
            { value: false, label: this.t("no") },
          ],
          (v) => value === v,
        );
      case "text":
        return h("textarea", {
          name: id,
          "aria-labelledby": `${id}-legend`,
          value: this.draft && this.draft.id === question.id ? this.draft.raw : (value ?? ""),
          ...common,
        });
      default: {
        const attrs = {
          number: { type: "text", inputmode: "decimal", class: "short" },
          date: { type: "date", class: "short" },
          postcode: {
            type: "text",
            inputmode: "numeric",
            maxlength: "4",
            autocomplete: "postal-code",
            class: "short",
          },
          address: { type: "text", autocomplete: "street-address" },
        }[question.type] || { type: "text" };
        let shown =
          question.type === "number" && typeof value === "number" && this.lang === "nl"
            ? String(value).replace(".", ",")
            : (value ?? "");
        if (this.draft && this.draft.id === question.id) shown = this.draft.raw;
        return h("input", {
          ...attrs,
          name: id,
          "aria-labelledby": `${id}-legend`,
          value: String(shown),
          ...common,
        });
      }
    }
  }

  /** The value the citizen gave, or {error} when it is missing or wrong. */
  readValue(question, form) {
    const id = `${this.uid}-${question.id}`;
    const fields = [...form.querySelectorAll(`[name="${id}"]`)];
    const choices = fields.filter((f) => f.checked).map((f) => Number(f.value));
    const raw = fields[0] && "value" in fields[0] ? fields[0].value.trim() : "";
    switch (question.type) {
      case "single_choice":
        return choices.length
          ? { value: question.options[choices[0]].value }
          : { error: this.t("requiredChoice") };
      case "multiple_choice":
        return choices.length
          ? { value: choices.map((i) => question.options[i].value) }
          : { error: this.t("requiredChoices") };
      case "yes_no":
        return choices.length ? { value: choices[0] === 0 } : { error: this.t("requiredChoice") };
      default:
        break;
    }
    if (!raw) return { error: this.t("required"), raw };
    if (question.type === "number") {
      return NUMBER.test(raw)
        ? { value: Number(raw.replace(",", ".")) }
        : { error: this.t("invalidNumber"), raw };
    }
    if (question.type === "date") {
      return validDate(raw) ? { value: raw } : { error: this.t("invalidDate"), raw };
    }
    if (question.type === "postcode") {
      return POSTCODE.test(raw) ? { value: raw } : { error: this.t("invalidPostcode"), raw };
    }
    return { value: raw };
  }

  submitQuestion(question, form) {
    const { value, error, raw } = this.readValue(question, form);
    if (error) {
      // keep what was typed (a draft: it does not count as an answer)
      this.draft = { id: question.id, raw };
      this.errors = { answer: error };
      this.render(false);
      const first = this.body.querySelector("input, textarea");
      if (first) first.focus();
      return;
    }
    this.answer(question, value);
  }

  displayValue(question, value) {
    if (question.type === "yes_no") return this.t(value ? "yes" : "no");
    const label = (v) => {
      const option = (question.options || []).find((o) => o.value === v);
      return option ? this.text(option.label) : String(v);
    };
    if (Array.isArray(value)) return value.map(label).join(", ");
    if (question.options) return label(value);
    if (question.type === "number" && this.lang === "nl") return String(value).replace(".", ",");
    if (question.type === "date" && validDate(value)) {
      const [y, m, d] = value.split("-").map(Number);
      return new Intl.DateTimeFormat(this.lang === "en" ? "en-GB" : "nl-BE", {
        dateStyle: "long",
        timeZone: "UTC",
      }).format(new Date(Date.UTC(y, m - 1, d)));
    }
    return String(value);
  }

  renderSummary() {
    const relevant = this.relevant();
    const questions = this.path().filter((q) => q.id in relevant);
    return h(
      "section",
      { part: "summary", class: "summary" },
      h("h2", { tabindex: "-1" }, this.t("summary")),
      h(
        "dl",
        {},
        questions.map((q) =>
          h(
            "div",
            { class: "answer" },
            h("dt", {}, this.text(q.label)),
            h("dd", {}, this.displayValue(q, relevant[q.id])),
            h(
              "dd",
              { class: "change" },
              this.button(
                this.t("change"),
                () => {
                  this.returnToSummary = true;
                  this.goTo({ name: "question", id: q.id });
                },
                false,
                { class: "link", label: this.t("changeLabel", { q: this.text(q.label) }) },
              ),
            ),
          ),
        ),
      ),
      h(
        "div",
        { class: "actions" },
        this.button(this.t("previous"), () => this.previous()),
        this.button(this.t("showResult"), () => this.showResult(), true),
      ),
    );
  }

  renderResult() {
    const { outcomes, trace } = this.view.state;
    const relevant = this.relevant();
    const rules = (this.pkg.rules || []).map((rule, index) => ({
      ...rule,
      label: rule.id || `rule-${index + 1}`,
    }));
    const byId = Object.fromEntries((this.pkg.outcomes || []).map((o) => [o.id, o]));
    const questions = Object.fromEntries(this.pkg.questions.map((q) => [q.id, q]));
    const section = (title, value) =>
      value && [h("h4", {}, this.t(title)), h("p", {}, this.text(value))];
    const caseOffered = outcomes.some((o) => o.case === true);
    return h(
      "section",
      { part: "result", class: "result" },
      h("h2", { tabindex: "-1" }, this.t("result")),
      this.pkg.illustrative && h("p", { class: "notice" }, this.t("illustrative")),
      outcomes.length
        ? outcomes.map((o) =>
            h(
              "article",
              { part: "outcome", class: "outcome" },
              h("h3", {}, this.text(o.title)),
              o.explanation && h("p", {}, this.text(o.explanation)),
              section("legalBasis", o.legal_basis),
              section("nextSteps", o.next_steps),
              o.links &&
                o.links.length > 0 && [
                  h("h4", {}, this.t("links")),
                  h(
                    "ul",
                    {},
                    o.links.map((link) =>
                      h("li", {}, h("a", { href: link.url }, this.text(link.title))),
                    ),
                  ),
                ],
            ),
          )
        : h("p", {}, this.t("noOutcome")),
      trace.length > 0 &&
        h(
          "section",
          { class: "why" },
          h("h3", {}, this.t("why")),
          h(
            "ul",
            {},
            // each rule that fired, by the title of its outcome: a rule's id
            // is the author's key, never shown to the citizen
            trace.map((label) => {
              const rule = rules.find((r) => r.label === label) || {};
              const outcome = byId[rule.then];
              if (!outcome) return null;
              const used = [...varsOf(rule.if)].filter((q) => q in relevant && questions[q]);
              return h(
                "li",
                {},
                h("strong", {}, this.text(outcome.title)),
                used.length > 0 && [
                  ` ${this.t("becauseYouAnswered")}`,
                  h(
                    "ul",
                    {},
                    used.map((q) =>
                      h(
                        "li",
                        {},
                        `${this.text(questions[q].label)} — `,
                        this.displayValue(questions[q], relevant[q]),
                      ),
                    ),
                  ),
                ],
              );
            }),
          ),
        ),
      h(
        "div",
        { class: "actions" },
        this.button(this.t("previous"), () => this.previous()),
        this.button(this.t("question"), () => this.goTo({ name: "handoff" }), caseOffered),
        this.button(this.t("restart"), () => this.restart()),
      ),
    );
  }

  renderHandoff() {
    const agent = this.mode === "agent";
    const id = (field) => `${this.uid}-handoff-${field}`;
    const field = (name, label, attrs, required) => {
      const error = this.errors[name];
      const hint = name === "email" && !agent ? `${this.uid}-contact-hint` : "";
      const describedBy = [hint, error && `${id(name)}-error`].filter(Boolean).join(" ");
      const control = h(name === "message" ? "textarea" : "input", {
        id: id(name),
        name,
        value: this.contact[name],
        "aria-describedby": describedBy || undefined,
        "aria-invalid": error ? "true" : undefined,
        "aria-required": required ? "true" : undefined,
        oninput: (event) => {
          this.contact[name] = event.target.value;
        },
        ...attrs,
      });
      return h(
        "div",
        { class: "field" },
        h(
          "label",
          { for: id(name) },
          label,
          required && h("span", { class: "help" }, ` ${this.t("requiredField")}`),
        ),
        control,
        error && h("p", { id: `${id(name)}-error`, class: "error", part: "error" }, error),
      );
    };
    const general = this.errors._form;
    const fields = agent
      ? [field("message", this.t("messageAgent"), {}, true)]
      : [
          field("name", this.t("name"), { type: "text", autocomplete: "name" }, true),
          h("p", { id: `${this.uid}-contact-hint`, class: "help" }, this.t("contactHint")),
          field("email", this.t("email"), { type: "email", autocomplete: "email" }),
          field("phone", this.t("phone"), { type: "tel", autocomplete: "tel" }),
          field("message", this.t("message"), {}),
        ];
    const form = h(
      "form",
      {
        part: "handoff",
        class: "handoff",
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          this.submitHandoff();
        },
      },
      h("h2", { tabindex: "-1" }, this.t("handoffTitle")),
      h("p", {}, this.t(agent ? "handoffIntroAgent" : "handoffIntro")),
      general && h("p", { class: "error", part: "error", role: "alert", tabindex: "-1" }, general),
      fields,
      h(
        "div",
        { class: "actions" },
        this.button(this.view.busy ? this.t("sending") : this.t("send"), undefined, true, {
          type: "submit",
        }),
        this.button(this.t("cancel"), () => this.goTo({ name: "result", state: this.lastState() })),
      ),
    );
    if (this.view.busy) form.querySelector("button[type=submit]").disabled = true;
    return form;
  }

  lastState() {
    return evaluate(this.pkg, this.answers);
  }

  checkContact() {
    const c = this.contact;
    const errors = {};
    if (this.mode === "agent") {
      if (!c.message.trim()) errors.message = this.t("messageRequired");
      return errors;
    }
    if (!c.name.trim()) errors.name = this.t("nameRequired");
    if (!c.email.trim() && !c.phone.trim()) errors.email = this.t("contactRequired");
    else if (c.email.trim() && !EMAIL.test(c.email.trim())) errors.email = this.t("emailInvalid");
    return errors;
  }

  showErrors(errors) {
    this.view = { name: "handoff" };
    this.errors = errors;
    this.render(false);
    const first =
      this.body.querySelector("[aria-invalid='true']") ||
      this.body.querySelector("[role='alert']");
    if (first) first.focus();
  }

  async submitHandoff() {
    const errors = this.checkContact();
    if (Object.keys(errors).length) {
      this.showErrors({ ...errors, _form: this.t("formErrors") });
      return;
    }
    this.view = { name: "handoff", busy: true };
    this.errors = {};
    this.render(false);
    const c = this.contact;
    const body =
      this.mode === "agent"
        ? { message: c.message.trim() }
        : {
            name: c.name.trim(),
            email: c.email.trim(),
            phone: c.phone.trim(),
            message: c.message.trim(),
          };
    try {
      let session = await this.session;
      if (!session) {
        this.session = this.startAgain();
        session = await this.session;
        if (!session) throw new ApiError(0, {});
        this.notice("");
      }
      this.store();
      await this.sync;
      const result = await this.api.handoff(session, body);
      this.goTo({ name: "done", case: result.case });
      this.emit("assistant-handoff", { case: result.case });
    } catch (error) {
      this.showErrors(this.apiErrors(error));
    }
  }

  startAgain() {
    const body = { topic: this.pkg.id, channel: this.channel() };
    const partner = Number.parseInt(this.getAttribute("partner"), 10);
    if (this.mode === "agent" && partner) body.partner_id = partner;
    const preview = Number.parseInt(this.getAttribute("preview"), 10);
    if (preview) body.preview = preview;
    return this.api.startSession(body).then(
      (started) => started && started.session,
      () => null,
    );
  }

  /** Dutch (or English) messages per field from an API error. */
  apiErrors(error) {
    const known = this.mode === "agent" ? ["message"] : ["name", "email", "phone", "message"];
    const errors = {};
    const rest = [];
    for (const [name, text] of Object.entries((error && error.errors) || {})) {
      if (known.includes(name)) errors[name] = String(text);
      else rest.push(String(text));
    }
    let general;
    if (error && error.status === 429) general = this.t("rateLimited");
    else if (error && error.status === 403) general = this.t("forbidden");
    else if (rest.length) general = rest.join(" ");
    else if (Object.keys(errors).length) general = this.t("formErrors");
    else if (error && error.status === 400 && error.detail) general = error.detail;
    else general = this.t("handoffFailed");
    errors._form = general;
    return errors;
  }

  renderDone() {
    return h(
      "section",
      { part: "handoff", class: "done" },
      h("h2", { tabindex: "-1" }, this.t("handoffDone", { case: this.view.case })),
      h(
        "div",
        { class: "actions" },
        this.button(this.t("back"), () => this.goTo({ name: "result", state: this.lastState() })),
        this.button(this.t("restart"), () => this.restart()),
      ),
    );
  }
}

if (typeof customElements !== "undefined" && !customElements.get("leuven-assistant")) {
  customElements.define("leuven-assistant", LeuvenAssistant);
}
