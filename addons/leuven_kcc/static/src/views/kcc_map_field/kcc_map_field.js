/** @odoo-module **/

import { Component, onMounted, onWillUnmount, onWillUpdateProps, useRef } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { createMap, inBounds, loadLeaflet } from "@leuven_kcc/leaflet/kcc_leaflet";

/**
 * The case's point on a map, on the latitude field (the longitude field is
 * named in the options). Read-only: the pin only. Editable (the case's
 * handlers, see ``can_move_pin``): drag the pin or click the map to move it.
 */
export class KccMapField extends Component {
    static template = "leuven_kcc.KccMapField";
    static props = {
        ...standardFieldProps,
        longitudeField: { type: String, optional: true },
    };
    static defaultProps = { longitudeField: "longitude" };

    setup() {
        this.orm = useService("orm");
        this.mapRef = useRef("map");
        this.alive = true;
        onMounted(() => this.mountMap());
        onWillUpdateProps((next) => this.showPoint(next));
        onWillUnmount(() => {
            this.alive = false;
            this.map?.remove();
        });
    }

    get point() {
        return this.pointOf(this.props);
    }

    pointOf(props) {
        const lat = props.record.data[props.name];
        const lon = props.record.data[props.longitudeField];
        return lat || lon ? [lat, lon] : null;
    }

    get coordinates() {
        const point = this.point;
        return point ? `${point[0].toFixed(6)}, ${point[1].toFixed(6)}` : "";
    }

    async mountMap() {
        const [L, config] = await Promise.all([
            loadLeaflet(),
            this.orm.call("kcc.address.lookup", "get_map_config", []),
        ]);
        if (!this.alive || !this.mapRef.el) {
            return;
        }
        this.L = L;
        this.config = {
            tileUrl: config.tile_url,
            attribution: config.attribution,
            bounds: [config.bounds.slice(0, 2), config.bounds.slice(2, 4)],
            center: config.center,
        };
        this.map = createMap(L, this.mapRef.el, this.config, { minZoom: 10 });
        this.map.on("click", (ev) => {
            if (!this.props.readonly) {
                this.move(ev.latlng);
            }
        });
        this.showPoint(this.props);
    }

    showPoint(props) {
        if (!this.map) {
            return;
        }
        const point = this.pointOf(props);
        if (!point) {
            this.marker?.remove();
            this.marker = null;
            this.shown = null;
            this.map.setView(this.config.center, 13);
            return;
        }
        const moved = String(point) !== String(this.shown);
        this.shown = point;
        if (!this.marker) {
            this.marker = this.L.marker(point, {
                draggable: !props.readonly,
                keyboard: true,
                title: _t("Location of the case"),
                alt: _t("Location of the case"),
            }).addTo(this.map);
            this.marker.on("dragend", () => this.move(this.marker.getLatLng()));
        } else {
            this.marker.setLatLng(point);
        }
        if (this.marker.dragging) {
            props.readonly ? this.marker.dragging.disable() : this.marker.dragging.enable();
        }
        if (moved) {
            this.map.setView(point, Math.max(this.map.getZoom() || 0, 17));
        }
    }

    async move(latlng) {
        if (!inBounds(this.L, this.config, latlng)) {
            this.showPoint(this.props);
            return;
        }
        await this.props.record.update({
            [this.props.name]: Math.round(latlng.lat * 1e7) / 1e7,
            [this.props.longitudeField]: Math.round(latlng.lng * 1e7) / 1e7,
        });
    }
}

export const kccMapField = {
    component: KccMapField,
    displayName: _t("Map"),
    supportedTypes: ["float"],
    extractProps: ({ options }) => ({
        longitudeField: options.longitude_field || "longitude",
    }),
    // not read-only: the widget writes it with the latitude, and the form
    // saves only what is not read-only
    fieldDependencies: ({ options }) => [
        { name: options.longitude_field || "longitude", type: "float", readonly: false },
    ],
};

registry.category("fields").add("kcc_map", kccMapField);
