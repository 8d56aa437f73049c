// Instant search: results from /search.json while typing (debounced). The form works
// without it; this only saves the round trip of submitting.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  if (!input || !results || !window.fetch) { return; }
  var endpoint = input.dataset.instant;
  var timer = null;
  var latest = 0;

  function cell(row, text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    row.appendChild(td);
  }

  function show(data, query) {
    results.textContent = "";
    var heading = document.createElement("h2");
    heading.className = "visually-hidden";
    heading.id = "results-heading";
    heading.textContent = "Results";
    results.appendChild(heading);
    var count = document.createElement("p");
    count.className = "count";
    if (!data.total) {
      count.textContent = "No papers match.";
      results.appendChild(count);
      return;
    }
    var shown = data.results.length;
    count.textContent = "Papers 1–" + shown + " of " + data.total;
    if (data.total > shown) {
      var more = document.createElement("a");
      more.href = "?q=" + encodeURIComponent(query);
      more.textContent = " (all results, page by page)";
      count.appendChild(more);
    }
    results.appendChild(count);
    var table = document.createElement("table");
    table.className = "papers instant";
    var head = table.createTHead().insertRow();
    ["Title", "Year", "Venue"].forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.results.forEach(function (paper) {
      var row = body.insertRow();
      cell(row, paper.title, paper.url);
      cell(row, paper.year || "—");
      cell(row, paper.venue || "—");
    });
    results.appendChild(table);
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) { results.textContent = ""; return; }
    fetch(endpoint + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (ticket !== latest) { return; }  // a newer search has started meanwhile
        show(data, query);
        history.replaceState(null, "", "?q=" + encodeURIComponent(query));
      })
      .catch(function () { /* the form still works: submitting gives the results */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
})();
