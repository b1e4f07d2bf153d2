/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";
import { debounce } from "@web/core/utils/timing";
import { createMap, inBounds, loadLeaflet, readMapConfig } from "@leuven_kcc/leaflet/kcc_leaflet";

/**
 * The map of the report form (views/kcc_map_templates.xml): click or Enter
 * places the pin, the pin can be dragged, "Use my location" and the address
 * search move it; the point fills the form's hidden latitude and longitude
 * and its nearest address fills the address fields (unless the visitor typed
 * them). Without this script the block stays hidden and the address fields
 * alone are used.
 *
 * For tests: the map element carries ``kccMap.setPin(lat, lon)``.
 */
publicWidget.registry.KccReportMap = publicWidget.Widget.extend({
    selector: ".o_kcc_map_picker",
    events: {
        "input .o_kcc_address_search": "_onSearchInput",
        "keydown .o_kcc_address_search": "_onSearchKeydown",
        "mousedown .o_kcc_address_suggestion": "_onSuggestionMousedown",
        "click .o_kcc_map_locate": "_onLocate",
        "click .o_kcc_map_clear": "_onClear",
        "keydown .o_kcc_map": "_onMapKeydown",
    },

    async start() {
        await this._super(...arguments);
        this.form = this.el.closest("form");
        if (!this.form) {
            return;
        }
        this.inputs = {
            latitude: this.form.querySelector("input[name=latitude]"),
            longitude: this.form.querySelector("input[name=longitude]"),
            street: this.form.querySelector("input[name=street]"),
            postcode: this.form.querySelector("input[name=postcode]"),
            city: this.form.querySelector("input[name=city]"),
        };
        this.searchInput = this.el.querySelector(".o_kcc_address_search");
        this.list = this.el.querySelector(".o_kcc_address_suggestions");
        this.status = this.el.querySelector(".o_kcc_map_status");
        this.mapEl = this.el.querySelector(".o_kcc_map");
        this.suggestions = [];
        this.active = -1;
        this.searchSeq = 0;
        this.config = readMapConfig(this.el);
        try {
            this.L = await loadLeaflet();
        } catch {
            return; // no map: the address fields still work
        }
        this.el.classList.remove("d-none");
        // the map has its own "Use my location"
        for (const el of this.form.querySelectorAll(".o_kcc_locate, .o_kcc_location_status")) {
            el.classList.add("d-none");
        }
        this.map = createMap(this.L, this.mapEl, this.config);
        this.map.setView(this.config.center, 16);
        this.map.on("click", (ev) => this._setPin(ev.latlng, { lookup: true }));
        const lat = parseFloat(this.inputs.latitude?.value);
        const lon = parseFloat(this.inputs.longitude?.value);
        if (Number.isFinite(lat) && Number.isFinite(lon) && (lat || lon)) {
            this._setPin(this.L.latLng(lat, lon), { lookup: false, quiet: true });
            this.map.setView([lat, lon], 17);
        }
        this._debouncedSearch = debounce(() => this._search(), 300);
        // an address typed by hand is never overwritten by the map
        this.inputs.street?.addEventListener("input", () => {
            delete this.inputs.street.dataset.kccFromMap;
        });
        this.mapEl.kccMap = {
            setPin: (lat, lon) => this._setPin(this.L.latLng(lat, lon), { lookup: true }),
            getPin: () => (this.marker ? this.marker.getLatLng() : null),
            map: this.map,
        };
    },

    destroy() {
        this.map?.remove();
        this._super(...arguments);
    },

    // -- the pin ------------------------------------------------------------
    _setPin(latlng, { lookup = true, quiet = false } = {}) {
        if (!inBounds(this.L, this.config, latlng)) {
            this._say(_t("This point lies outside the city; place the pin in Leuven."));
            return false;
        }
        if (!this.marker) {
            this.marker = this.L.marker(latlng, {
                draggable: true,
                keyboard: true,
                title: _t("Location of the problem"),
                alt: _t("Location of the problem"),
            }).addTo(this.map);
            this.marker.on("dragend", () => this._setPin(this.marker.getLatLng(), { lookup: true }));
        } else {
            this.marker.setLatLng(latlng);
        }
        this.inputs.latitude.value = latlng.lat.toFixed(7);
        this.inputs.longitude.value = latlng.lng.toFixed(7);
        this.el.querySelector(".o_kcc_map_clear").classList.remove("d-none");
        if (!quiet) {
            this._say(_t("Pin placed."));
        }
        if (lookup) {
            this._reverse(latlng);
        }
        return true;
    },

    _onClear() {
        this.marker?.remove();
        this.marker = null;
        this.inputs.latitude.value = "";
        this.inputs.longitude.value = "";
        this.el.querySelector(".o_kcc_map_clear").classList.add("d-none");
        this._say(_t("Pin removed."));
        this.mapEl.focus();
    },

    _onMapKeydown(ev) {
        if (ev.target !== this.mapEl || !this.map) {
            return;
        }
        if (ev.key === "Enter" || ev.key === " ") {
            ev.preventDefault();
            this._setPin(this.map.getCenter(), { lookup: true });
        }
    },

    _onLocate() {
        if (!navigator.geolocation) {
            this._say(_t("Your browser cannot share its location."));
            return;
        }
        this._say(_t("Looking up your location…"));
        navigator.geolocation.getCurrentPosition(
            (position) => {
                const latlng = this.L.latLng(position.coords.latitude, position.coords.longitude);
                if (this._setPin(latlng, { lookup: true })) {
                    this.map.setView(latlng, 18);
                }
            },
            () => this._say(_t("Your location could not be determined; give the address.")),
            { enableHighAccuracy: true, timeout: 10000 }
        );
    },

    // -- the address register -------------------------------------------------
    async _get(url, params) {
        let response;
        try {
            response = await fetch(`${url}?${new URLSearchParams(params)}`, {
                headers: { Accept: "application/json" },
                credentials: "same-origin",
            });
        } catch {
            this._say(_t("The address register cannot be reached right now; type the address yourself."));
            return null;
        }
        let data = null;
        try {
            data = await response.json();
        } catch {
            data = null;
        }
        if (!response.ok) {
            this._say(
                data?.error?.message ||
                    _t("The address register cannot be reached right now; type the address yourself.")
            );
            return null;
        }
        return data;
    },

    async _reverse(latlng) {
        const data = await this._get("/kcc/address/reverse", {
            lat: latlng.lat.toFixed(7),
            lon: latlng.lng.toFixed(7),
        });
        if (data?.address) {
            this._fillAddress(data.address, false);
        } else if (data) {
            this._say(_t("Pin placed; no address nearby: describe the place in the details."));
        }
    },

    /** Fill the address fields, unless the visitor typed an address himself. */
    _fillAddress(address, force) {
        const street = this.inputs.street;
        if (!street) {
            return;
        }
        const typedByHand = street.value.trim() && street.dataset.kccFromMap !== "1";
        if (typedByHand && !force) {
            this._say(_t("Pin placed near %s.", address.label));
            return;
        }
        street.value = address.street_line || "";
        street.dataset.kccFromMap = "1";
        if (this.inputs.postcode) {
            this.inputs.postcode.value = address.postcode || "";
        }
        if (this.inputs.city && address.municipality) {
            this.inputs.city.value = address.municipality;
        }
        this._say(_t("Address filled in: %s", address.label));
    },

    _onSearchInput() {
        this._debouncedSearch();
    },

    async _search() {
        const text = this.searchInput.value.trim();
        const seq = ++this.searchSeq;
        if (text.length < 3) {
            this._showSuggestions([]);
            return;
        }
        const data = await this._get("/kcc/address/search", { q: text });
        if (seq !== this.searchSeq) {
            return; // a newer search is under way
        }
        const results = data?.results || [];
        this._showSuggestions(results);
        if (data && !results.length) {
            this._say(_t("No address found; try the street and number."));
        }
    },

    _showSuggestions(results) {
        this.suggestions = results;
        this.active = -1;
        this.list.replaceChildren(
            ...results.map((result, index) => {
                const item = document.createElement("li");
                item.className = "list-group-item list-group-item-action o_kcc_address_suggestion";
                item.id = `kcc_address_suggestion_${index}`;
                item.setAttribute("role", "option");
                item.setAttribute("aria-selected", "false");
                item.dataset.index = index;
                item.textContent = result.label;
                return item;
            })
        );
        const open = results.length > 0;
        this.list.classList.toggle("d-none", !open);
        this.searchInput.setAttribute("aria-expanded", open ? "true" : "false");
        this.searchInput.removeAttribute("aria-activedescendant");
        if (open) {
            this._say(
                results.length === 1
                    ? _t("1 address found; choose it with the arrow keys and Enter.")
                    : _t("%s addresses found; choose one with the arrow keys and Enter.", results.length)
            );
        }
    },

    _highlight(index) {
        const items = this.list.querySelectorAll(".o_kcc_address_suggestion");
        this.active = index;
        items.forEach((item, i) => item.setAttribute("aria-selected", i === index ? "true" : "false"));
        if (items[index]) {
            this.searchInput.setAttribute("aria-activedescendant", items[index].id);
            items[index].scrollIntoView({ block: "nearest" });
        }
    },

    _onSearchKeydown(ev) {
        const count = this.suggestions.length;
        if (ev.key === "ArrowDown" && count) {
            ev.preventDefault();
            this._highlight((this.active + 1) % count);
        } else if (ev.key === "ArrowUp" && count) {
            ev.preventDefault();
            this._highlight((this.active - 1 + count) % count);
        } else if (ev.key === "Enter") {
            // never submit the report from the search field
            ev.preventDefault();
            if (count) {
                this._choose(this.active >= 0 ? this.active : 0);
            }
        } else if (ev.key === "Escape") {
            this._showSuggestions([]);
        }
    },

    _onSuggestionMousedown(ev) {
        ev.preventDefault(); // keep the focus in the search field
        this._choose(Number(ev.currentTarget.dataset.index));
    },

    async _choose(index) {
        const chosen = this.suggestions[index];
        if (!chosen) {
            return;
        }
        this.searchInput.value = chosen.label;
        this._showSuggestions([]);
        const data = await this._get("/kcc/address/detail", { id: chosen.address_id });
        const address = data?.address;
        if (!address) {
            return;
        }
        if (Number.isFinite(address.latitude) && Number.isFinite(address.longitude)) {
            const latlng = this.L.latLng(address.latitude, address.longitude);
            if (this._setPin(latlng, { lookup: false, quiet: true })) {
                this.map.setView(latlng, 18);
            }
        }
        this._fillAddress(address, true);
    },

    _say(message) {
        if (this.status) {
            this.status.textContent = message;
        }
    },
});
