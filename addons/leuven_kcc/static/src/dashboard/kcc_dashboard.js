/** @odoo-module **/

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { View } from "@web/views/view";

/**
 * The KCC dashboard: first-line resolution against the city's target, late
 * cases now, figures per channel and per handler group, and the trend over
 * weeks (Odoo's graph view on the case figures). The figures come from
 * kcc.case.report, which shows a user only the cases he may read.
 */
export class KccDashboard extends Component {
    static template = "leuven_kcc.Dashboard";
    static components = { View };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null, dateFrom: "", dateTo: "", trendKey: 0 });
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.orm.call("kcc.case.report", "get_dashboard", [], {
            date_from: this.state.dateFrom || false,
            date_to: this.state.dateTo || false,
        });
        this.state.data = data;
        this.state.dateFrom = data.date_from;
        this.state.dateTo = data.date_to;
        this.state.trendKey++;
    }

    onPeriodChange(ev, which) {
        this.state[which] = ev.target.value;
        if (this.state.dateFrom && this.state.dateTo) {
            this.load();
        }
    }

    formatHours(value) {
        return value === null || value === undefined || value === false
            ? "–"
            : value.toLocaleString(undefined, { maximumFractionDigits: 1 });
    }

    formatPercent(value) {
        return `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} %`;
    }

    get firstLineWidth() {
        return Math.min(this.state.data.first_line.rate, 100);
    }

    get periodDomain() {
        return [
            ["date_received", ">=", `${this.state.dateFrom} 00:00:00`],
            ["date_received", "<=", `${this.state.dateTo} 23:59:59`],
        ];
    }

    get trendProps() {
        const data = this.state.data;
        return {
            resModel: "kcc.case.report",
            type: "graph",
            views: [
                [data.trend_view_id, "graph"],
                [false, "search"],
            ],
            viewId: data.trend_view_id,
            domain: this.periodDomain,
            context: { graph_groupbys: ["date_received:week", "channel"] },
            display: { controlPanel: false },
        };
    }

    openCases(domain, name) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: "kcc.case",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain,
            context: {},
        });
    }

    openLate() {
        this.actionService.doAction("leuven_kcc.kcc_case_action_late");
    }

    openLine(field, line, late) {
        const domain = [[field, "=", line.id], ["is_open", "=", true]];
        if (late) {
            domain.push(["is_late", "=", true]);
        }
        this.openCases(domain, late ? _t("Late Cases") : _t("Open Cases"));
    }

    openFigures() {
        this.actionService.doAction("leuven_kcc.kcc_case_report_action", {
            additionalContext: { search_default_received: 0 },
        });
    }
}

registry.category("actions").add("leuven_kcc.dashboard", KccDashboard);
