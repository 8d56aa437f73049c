// Starts YASGUI on this server's endpoint with one tab per example query.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  var endpoint = new URL(root.dataset.endpoint, window.location.href).href;
  var examples = JSON.parse(document.getElementById("synthkg-examples").textContent);

  // The class and property autocompleters query a remote vocabulary service; the page must
  // not leave this server, so only the local ones stay.
  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(
    function (name) { return name !== "class" && name !== "property"; }
  );
  Yasgui.Yasqe.defaults.prefixCcApi = null;

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    copyEndpointOnNewTab: true,
    autoAddOnInit: false,
    populateFromUrl: false,
    persistenceId: null,
  });

  var selected = null;
  examples.forEach(function (example, index) {
    var tab = yasgui.addTab(index === 0, {
      name: example.label,
      yasqe: { value: example.query },
      requestConfig: { endpoint: endpoint },
    });
    if (example.name === root.dataset.selected) { selected = tab; }
  });
  if (examples.length === 0) { yasgui.addTab(true, { requestConfig: { endpoint: endpoint } }); }
  if (selected) { yasgui.selectTabId(selected.getId()); }
  window.synthkgYasgui = yasgui;
})();
