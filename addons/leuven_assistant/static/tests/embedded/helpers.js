// Helpers for scripts run in a plain page that embeds <leuven-assistant>.
const wait = (check, what) => new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
        const found = check();
        if (found) { resolve(found); }
        else if (Date.now() - started > 20000) {
            reject(new Error("timeout: " + what));
        }
        else { setTimeout(tick, 100); }
    };
    tick();
});
const root = () => document.querySelector("leuven-assistant").shadowRoot;
const find = (selector, text) => () => root() && [...root().querySelectorAll(selector)]
    .find((el) => !text || el.textContent.includes(text));
