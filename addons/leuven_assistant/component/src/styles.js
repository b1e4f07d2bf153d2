// Styles of the shadow root. Every colour, font and radius can be set from the
// page with the --leuven-assistant-* custom properties (see README.md).
export const STYLES = `
:host {
  --_accent: var(--leuven-assistant-accent, #a6192e);
  --_on-accent: var(--leuven-assistant-on-accent, #ffffff);
  --_text: var(--leuven-assistant-text, #1d1d1b);
  --_muted: var(--leuven-assistant-muted, #4d4d4d);
  --_bg: var(--leuven-assistant-background, #ffffff);
  --_surface: var(--leuven-assistant-surface, #f4f4f4);
  --_border: var(--leuven-assistant-border, #6f6f6f);
  --_error: var(--leuven-assistant-error, #b3001b);
  --_focus: var(--leuven-assistant-focus, #1a5fb4);
  --_radius: var(--leuven-assistant-radius, 4px);
  --_space: var(--leuven-assistant-spacing, 1rem);
  display: block;
  max-width: var(--leuven-assistant-max-width, 44rem);
  color: var(--_text);
  background: var(--_bg);
  font-family: var(--leuven-assistant-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  font-size: var(--leuven-assistant-font-size, 1rem);
  line-height: 1.5;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
h2, h3, h4, legend { font-weight: 700; line-height: 1.25; }
h2 { font-size: 1.5em; margin: 0 0 var(--_space); }
h3 { font-size: 1.2em; margin: calc(var(--_space) * 1.25) 0 calc(var(--_space) / 2); }
h4 { font-size: 1em; margin: var(--_space) 0 .25em; }
p { margin: 0 0 var(--_space); }
fieldset { border: 0; margin: 0 0 var(--_space); padding: 0; min-width: 0; }
legend { font-size: 1.25em; padding: 0; margin-bottom: calc(var(--_space) / 2); }
[tabindex="-1"]:focus { outline: none; }
[tabindex="-1"]:focus-visible { outline: 3px solid var(--_focus); outline-offset: 3px; }
.help { color: var(--_muted); }
.step { color: var(--_muted); margin-bottom: .25em; }
.option { display: flex; gap: .6em; align-items: flex-start; margin: .4em 0; padding: .5em .6em;
  border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_bg); cursor: pointer; }
.option input { margin: .3em 0 0; width: 1.15em; height: 1.15em; flex: none; accent-color: var(--_accent); }
input[type="text"], input[type="email"], input[type="tel"], input[type="date"], textarea {
  font: inherit; color: var(--_text); background: var(--_bg); width: 100%; max-width: 30rem;
  padding: .5em .6em; border: 1px solid var(--_border); border-radius: var(--_radius); }
input.short { max-width: 10rem; }
textarea { min-height: 6em; max-width: 100%; }
input:focus-visible, textarea:focus-visible, button:focus-visible, a:focus-visible, .option:focus-within {
  outline: 3px solid var(--_focus); outline-offset: 2px; }
[aria-invalid="true"] { border-color: var(--_error); border-width: 2px; }
.error { color: var(--_error); font-weight: 600; margin: .5em 0; }
.error::before { content: "⚠ "; }
.actions { display: flex; flex-wrap: wrap; gap: .75em; margin-top: calc(var(--_space) * 1.5); }
button { font: inherit; font-weight: 600; cursor: pointer; padding: .6em 1.2em; border-radius: var(--_radius);
  border: 2px solid var(--_accent); background: var(--_bg); color: var(--_accent); }
button.primary { background: var(--_accent); color: var(--_on-accent); }
button.link { border: 0; padding: .2em .4em; text-decoration: underline; }
button:hover { filter: brightness(.92); }
button[disabled] { cursor: progress; opacity: .7; }
a { color: var(--_accent); }
.notice { padding: .6em .8em; border-left: 4px solid var(--_focus); background: var(--_surface); margin-bottom: var(--_space); }
dl { margin: 0; }
.answer { display: grid; grid-template-columns: 1fr auto; gap: .25em 1em; padding: .6em 0; border-bottom: 1px solid var(--_border); }
.answer dt { font-weight: 600; grid-column: 1; }
.answer dd { margin: 0; grid-column: 1; }
.answer .change { grid-column: 2; grid-row: 1 / span 2; align-self: center; }
.outcome { padding: var(--_space); border-left: 4px solid var(--_accent); background: var(--_surface);
  border-radius: var(--_radius); margin-bottom: var(--_space); }
.outcome h3 { margin-top: 0; }
.field { margin-bottom: var(--_space); }
.field label { display: block; font-weight: 600; margin-bottom: .25em; }
.why ul { padding-left: 1.25em; }
`;
