/* Offline geo maps: the explorer's choropleths bring their own country polygons (``geojson=``) and hide
   the base map (``geo.visible = false``), yet plotly.js still fetches its base-map topojson from
   cdn.plot.ly for any choropleth. An empty topology registered here under the names plotly.js looks up
   (scope "world", 110m and 50m) satisfies that lookup, so no request leaves the machine. Dash loads every
   .js file in assets/ before the first figure is drawn. */
(function () {
  var empty = {type: "Topology", objects: {}, arcs: []};
  var assets = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};
  assets.topojson = assets.topojson || {};
  ["world_110m", "world_50m"].forEach(function (name) {
    if (assets.topojson[name] === undefined) { assets.topojson[name] = empty; }
  });
})();
