/* Simpul maps: centres (or areas) as circle markers on a Leaflet map, from a JSON data URL.
 *
 * <div class="map-panel" data-map-url="..." [data-tile-url data-tile-attribution] [data-map-table]>
 * The JSON: {markers (or centres): [{name, host_name?, regency?, province?, lat, lng,
 * colour?, value_text?, n?, vocations?, links: [{label, url}]}], classes?: [{colour, label}],
 * no_value_colour?, value_label?, marker_label?, count_label?}. A marker with `n` is an
 * area (a province or regency) standing for n centres: its circle grows a little with n.
 * No tiles unless the page names a tile server: the markers sit on
 * a plain background, so the map works with no internet. Text goes in as text,
 * never as HTML.
 */
(function () {
  "use strict";

  var INDONESIA = [[-11.0, 95.0], [6.0, 141.0]];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function markersOf(data) { return data.markers || data.centres || []; }

  function isArea(marker) { return marker.n !== undefined && marker.n !== null; }

  function where(marker) { return [marker.regency, marker.province].filter(Boolean).join(", "); }

  function radius(marker) {
    // An area's circle grows with the square root of its centres, within 8 to 16 px.
    return isArea(marker) ? Math.min(16, 8 + Math.sqrt(marker.n) * 0.75) : 8;
  }

  function popup(centre, data) {
    var valueLabel = data.value_label;
    var box = el("div", { "class": "map-popup" });
    box.appendChild(el("strong", {}, centre.name));
    if (centre.host_name) { box.appendChild(el("div", {}, centre.host_name)); }
    if (where(centre)) { box.appendChild(el("div", {}, where(centre))); }
    if (centre.value_text !== undefined && valueLabel) {
      box.appendChild(el("div", {}, valueLabel + ": " + centre.value_text));
    }
    if (isArea(centre)) { box.appendChild(el("div", {}, (data.count_label || "BLK") + ": " + centre.n)); }
    if (centre.vocations && centre.vocations.length) {
      box.appendChild(el("div", {}, centre.vocations.join(", ")));
    }
    (centre.links || []).forEach(function (link) {
      var line = el("div");
      line.appendChild(el("a", { href: link.url }, link.label));
      box.appendChild(line);
    });
    return box;
  }

  function legend(panel, data) {
    var list = panel.querySelector(".map-legend");
    if (!list) { return; }
    list.textContent = "";
    (data.classes || []).forEach(function (item) {
      var li = el("li");
      li.appendChild(el("span", { "class": "swatch", style: "background:" + item.colour, "aria-hidden": "true" }));
      li.appendChild(document.createTextNode(item.label));
      list.appendChild(li);
    });
    if (data.no_value_colour && data.classes && data.classes.length) {
      var none = el("li");
      none.appendChild(el("span", { "class": "swatch", style: "background:" + data.no_value_colour, "aria-hidden": "true" }));
      none.appendChild(document.createTextNode(panel.getAttribute("data-no-value-label") || "–"));
      list.appendChild(none);
    }
  }

  function table(panel, data) {
    var wrap = panel.querySelector(".map-table-wrap");
    if (!wrap || !panel.hasAttribute("data-map-table")) { return; }
    var markers = markersOf(data);
    var areas = markers.some(isArea);
    var tbl = el("table");
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, data.marker_label || "BLK"));
    head.appendChild(el("th", { scope: "col" }, data.value_label || ""));
    if (areas) { head.appendChild(el("th", { scope: "col" }, data.count_label || "BLK")); }
    tbl.appendChild(el("thead")).appendChild(head);
    var body = tbl.appendChild(el("tbody"));
    markers.forEach(function (marker) {
      var row = el("tr");
      var name = el("td");
      var link = marker.links && marker.links[0];
      if (areas && link) { name.appendChild(el("a", { href: link.url }, marker.name)); } else { name.textContent = marker.name; }
      if (marker.regency) { name.appendChild(document.createTextNode(" (" + marker.regency + ")")); }
      row.appendChild(name);
      row.appendChild(el("td", { "class": "num" }, marker.value_text || ""));
      if (areas) { row.appendChild(el("td", { "class": "num" }, String(marker.n))); }
      body.appendChild(row);
    });
    wrap.textContent = "";
    wrap.appendChild(tbl);
  }

  function draw(panel, data) {
    var canvas = panel.querySelector(".map-canvas");
    var map = L.map(canvas, { zoomSnap: 0.5, preferCanvas: false, worldCopyJump: false });
    var tiles = panel.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: panel.getAttribute("data-tile-attribution") || "" }).addTo(map);
    }
    var bounds = [];
    var markers = L.featureGroup();
    markersOf(data).forEach(function (centre) {
      if (centre.lat === null || centre.lng === null || centre.lat === undefined) { return; }
      var marker = L.circleMarker([centre.lat, centre.lng], {
        radius: radius(centre),
        color: "#1f2937",
        weight: 1.5,
        fillColor: centre.colour || "#2563eb",
        fillOpacity: 0.9,
        className: isArea(centre) ? "area-marker" : "centre-marker"
      });
      marker.bindPopup(popup(centre, data));
      marker.bindTooltip(centre.name);
      markers.addLayer(marker);
      bounds.push([centre.lat, centre.lng]);
    });
    markers.addTo(map);
    if (bounds.length === 1) {
      map.setView(bounds[0], 11);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 12 });
    } else {
      map.fitBounds(INDONESIA);
    }
    panel.setAttribute("data-markers", String(bounds.length));
    panel.simpulMap = map;
  }

  function load(panel) {
    if (panel.hasAttribute("data-ready")) { return; }
    panel.setAttribute("data-ready", "loading");
    fetch(panel.getAttribute("data-map-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        draw(panel, data);
        legend(panel, data);
        table(panel, data);
        panel.setAttribute("data-ready", "1");
      })
      .catch(function () {
        panel.setAttribute("data-ready", "error");
        var canvas = panel.querySelector(".map-canvas");
        if (canvas) { canvas.textContent = panel.getAttribute("data-error-text") || "Peta tidak dapat dimuat."; }
      });
  }

  function initAll(root, attempt) {
    var panels = (root || document).querySelectorAll(".map-panel[data-map-url]:not([data-ready])");
    if (!panels.length) { return; }
    if (typeof L === "undefined") {
      // Leaflet still loading (e.g. a panel swapped in by HTMX): try again shortly.
      if ((attempt || 0) < 50) { setTimeout(function () { initAll(root, (attempt || 0) + 1); }, 100); }
      return;
    }
    Array.prototype.forEach.call(panels, load);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:load", function (event) { initAll(event.target); });
})();
