/** @odoo-module **/

import { loadCSS, loadJS } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";

// Leaflet 1.9.4 (BSD-2-Clause), served by the site itself: static/lib/leaflet.
// Loaded on the first map of a page only.
const LEAFLET_PATH = "/leuven_kcc/static/lib/leaflet/";

export async function loadLeaflet() {
    await Promise.all([loadCSS(`${LEAFLET_PATH}leaflet.css`), loadJS(`${LEAFLET_PATH}leaflet.js`)]);
    const L = window.L;
    L.Icon.Default.imagePath = `${LEAFLET_PATH}images/`;
    return L;
}

/**
 * The map settings a page carries as data attributes (see
 * views/kcc_map_templates.xml): tile URL template and attribution (none: a
 * map without background), the box of the city, where the map opens.
 */
export function readMapConfig(el) {
    const numbers = (text) => (text || "").split(",").map(Number).filter((n) => !Number.isNaN(n));
    const bounds = numbers(el.dataset.bounds);
    const center = numbers(el.dataset.center);
    return {
        tileUrl: el.dataset.tileUrl || "",
        attribution: el.dataset.attribution || "",
        bounds: bounds.length === 4 ? [[bounds[0], bounds[1]], [bounds[2], bounds[3]]] : null,
        center: center.length === 2 ? center : [50.8792, 4.7009],
    };
}

/** A Leaflet map on ``el`` with the configured background and limits. */
export function createMap(L, el, config, options = {}) {
    const map = L.map(el, {
        keyboard: true,
        zoomControl: true,
        minZoom: 11,
        maxZoom: 19,
        ...options,
    });
    if (config.bounds) {
        map.setMaxBounds(L.latLngBounds(config.bounds).pad(0.2));
    }
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (config.tileUrl) {
        L.tileLayer(config.tileUrl, {
            attribution: config.attribution,
            maxZoom: 19,
        }).addTo(map);
    }
    map.zoomControl.getContainer()?.querySelectorAll("a").forEach((a) => {
        if (a.classList.contains("leaflet-control-zoom-in")) {
            a.title = a.ariaLabel = _t("Zoom in");
        } else if (a.classList.contains("leaflet-control-zoom-out")) {
            a.title = a.ariaLabel = _t("Zoom out");
        }
    });
    return map;
}

export function inBounds(L, config, latlng) {
    return !config.bounds || L.latLngBounds(config.bounds).contains(latlng);
}
