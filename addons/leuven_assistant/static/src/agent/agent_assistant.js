import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

const COMPONENT_URL = "/assistant/component/leuven-assistant.js";
let componentLoaded = null;

/** Load the web component once (it is an ES module, outside the bundles). */
function loadComponent() {
    if (!componentLoaded) {
        componentLoaded = new Promise((resolve, reject) => {
            if (customElements.get("leuven-assistant")) {
                resolve();
                return;
            }
            const script = document.createElement("script");
            script.type = "module";
            script.src = COMPONENT_URL;
            script.onerror = reject;
            document.head.appendChild(script);
            customElements.whenDefined("leuven-assistant").then(resolve);
        });
    }
    return componentLoaded;
}

/**
 * The assistant for a KCC agent on a call: pick a topic and walk the caller
 * through it; the session is kept on the caller and can become a case.
 */
export class AgentAssistant extends Component {
    static template = "leuven_assistant.AgentAssistant";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        const params = this.props.action.params || {};
        this.state = useState({
            partnerId: params.partner_id || false,
            partnerName: params.partner_name || "",
            topics: [],
            topic: false,
            caseName: false,
            outcome: false,
        });
        onWillStart(async () => {
            await loadComponent();
            this.state.topics = await this.orm.searchRead(
                "assistant.topic",
                [["state", "=", "published"]],
                ["name", "code"],
                { order: "name" }
            );
        });
    }

    get lang() {
        return (document.documentElement.lang || "nl").slice(0, 2);
    }

    selectTopic(ev) {
        this.state.topic = ev.target.value || false;
        this.state.caseName = false;
        this.state.outcome = false;
    }

    onOutcome(ev) {
        this.state.outcome = (ev.detail.outcomes || []).length > 0;
    }

    onHandoff(ev) {
        this.state.caseName = ev.detail.case;
    }

    async openCase() {
        const [caseRecord] = await this.orm.search(
            "kcc.case",
            [["name", "=", this.state.caseName]],
            { limit: 1 }
        );
        if (caseRecord) {
            this.action.doAction({
                type: "ir.actions.act_window",
                res_model: "kcc.case",
                res_id: caseRecord,
                views: [[false, "form"]],
            });
        }
    }

    openCustomer() {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: this.state.partnerId,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("leuven_assistant.agent_assistant", AgentAssistant);
