// ipwatch review desk: the seller network as an interactive graph (Cytoscape.js, from npm at
// build time: make desk-assets). The page works without it: the server-drawn SVG and the table
// stay; this only replaces the SVG with a graph one can pan, zoom, drag and click through.
"use strict";
(function () {
  const MAX_LABEL = 40;

  function short(text) {
    return text.length > MAX_LABEL ? text.slice(0, MAX_LABEL - 1) + "…" : text;
  }

  function elementsOf(net) {
    const out = [];
    net.members.forEach(function (m) {
      const name = (m.name || m.key) + " (" + m.marketplace + ")";
      out.push({ data: { id: m.key, label: short(name), focus: m.key === net.seller ? 1 : 0 } });
    });
    net.links.forEach(function (l, i) {
      out.push({ data: { id: "link" + i, source: l.a, target: l.b, label: short(l.label) } });
    });
    return out;
  }

  function draw() {
    const holder = document.getElementById("network-graph");
    const data = document.getElementById("network-data");
    if (!holder || !data || typeof window.cytoscape !== "function") return;
    const net = JSON.parse(data.textContent);  // a data block: never executed, never markup
    holder.hidden = false;
    const cy = window.cytoscape({
      container: holder,
      elements: elementsOf(net),
      layout: {
        name: "concentric",
        concentric: function (node) { return node.data("focus") ? 2 : 1; },
        levelWidth: function () { return 1; },
        minNodeSpacing: 60,
      },
      style: [
        { selector: "node", style: {
          "background-color": "#37a", label: "data(label)", "font-size": 10,
          "text-valign": "bottom", "text-margin-y": 4 } },
        { selector: "node[focus = 1]", style: { "background-color": "#c33", width: 34, height: 34 } },
        { selector: "edge", style: {
          width: 2, "line-color": "#889", label: "data(label)", "font-size": 9,
          "text-rotation": "autorotate", color: "#446" } },
      ],
      wheelSensitivity: 0.3,
    });
    cy.on("tap", "node", function (event) {
      window.location.href = "/sellers/" + encodeURIComponent(event.target.id());
    });
    const drawn = document.querySelector("section.network svg.graph");
    if (drawn) drawn.style.display = "none";  // the graph above says the same, interactively
    window.ipwatchNetwork = cy;  // for the desk's browser tests
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
