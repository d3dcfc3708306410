/* The SPARQL page's editor: YASGUI over this server's endpoint, the query library with its parameters as fields
   (bound on the server, /sparql/library/NAME?param=value), a bar chart of results, and CSV/JSON/TSV downloads.
   Without this script (or without YASGUI) the page's plain form works on its own. */
(function () {
  "use strict";

  var root = document.getElementById("yasgui");
  if (!root || typeof window.Yasgui === "undefined") {
    return;
  }
  var Yasgui = window.Yasgui;
  var endpoint = root.getAttribute("data-endpoint") || "/sparql";
  var library = JSON.parse(document.getElementById("library").textContent);

  /* A YASR plugin: a horizontal bar chart of a result whose rows are a label and a number (the library's
     aggregates: counts per year, journal, MeSH term...). Drawn as SVG by the browser, nothing loaded. */
  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
  }
  ChartPlugin.prototype.columns = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables || !results.getBindings) {
      return null;
    }
    var variables = results.getVariables() || [];
    var rows = results.getBindings() || [];
    if (!rows.length) {
      return null;
    }
    var number = null;
    var label = null;
    variables.forEach(function (v) {
      var numeric = rows.every(function (row) {
        return row[v] && row[v].value !== "" && !isNaN(Number(row[v].value));
      });
      if (numeric && number === null && v !== "year") {
        number = v;
      } else if (label === null) {
        label = v;
      }
    });
    return number !== null && label !== null ? { label: label, number: number, rows: rows } : null;
  };
  ChartPlugin.prototype.canHandleResults = function () {
    return this.columns() !== null;
  };
  ChartPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "\u2587";
    return icon;
  };
  ChartPlugin.prototype.draw = function () {
    var found = this.columns();
    var box = document.createElement("div");
    box.className = "rdfgen-chart";
    if (!found) {
      box.textContent = "A chart needs a column of labels and a column of numbers.";
      this.yasr.resultsEl.appendChild(box);
      return;
    }
    var rows = found.rows.slice(0, 40);
    var max = Math.max.apply(null, rows.map(function (r) { return Number(r[found.number].value); }).concat([1]));
    var ns = "http://www.w3.org/2000/svg";
    var barHeight = 18;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "100%");
    svg.setAttribute("height", String(rows.length * (barHeight + 4) + 4));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", found.number + " by " + found.label);
    rows.forEach(function (row, i) {
      var value = Number(row[found.number].value);
      var y = 4 + i * (barHeight + 4);
      var bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", "40%");
      bar.setAttribute("y", String(y));
      bar.setAttribute("height", String(barHeight));
      bar.setAttribute("width", (55 * value / max).toFixed(2) + "%");
      bar.setAttribute("fill", "#4a6fa5");
      var name = document.createElementNS(ns, "text");
      name.setAttribute("x", "39%");
      name.setAttribute("y", String(y + 13));
      name.setAttribute("text-anchor", "end");
      name.textContent = row[found.label] ? row[found.label].value : "(none)";
      var count = document.createElementNS(ns, "text");
      count.setAttribute("x", (41 + 55 * value / max).toFixed(2) + "%");
      count.setAttribute("y", String(y + 13));
      count.textContent = row[found.number].value;
      svg.appendChild(bar);
      svg.appendChild(name);
      svg.appendChild(count);
    });
    box.appendChild(svg);
    if (found.rows.length > rows.length) {
      var note = document.createElement("p");
      note.textContent = "The first " + rows.length + " of " + found.rows.length + " rows.";
      box.appendChild(note);
    }
    this.yasr.resultsEl.appendChild(box);
  };
  Yasgui.Yasr.registerPlugin("chart", ChartPlugin);

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    persistenceId: "rdfgen-sparql",
    yasqe: { value: root.getAttribute("data-query") || "" },
    yasr: { pluginOrder: ["table", "chart", "response"], defaultPlugin: "table" }
  });
  root.hidden = false;
  document.getElementById("plain-form").hidden = true;

  /* Names for the controls YASGUI draws without one (axe-core: label, select-name, scrollable-region-focusable),
     set again whenever YASGUI redraws part of itself. */
  var names = [
    [".yasqe textarea", "SPARQL query"],
    ["input.autocomplete", "SPARQL endpoint"],
    ["select.tableSizer", "Rows per page"],
    [".yasr input[type=search], .yasr .tableFilter", "Filter the results"]
  ];
  function label() {
    names.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (el) {
        if (!el.getAttribute("aria-label")) {
          el.setAttribute("aria-label", pair[1]);
        }
      });
    });
    root.querySelectorAll(".CodeMirror-scroll").forEach(function (el) {
      if (el.getAttribute("tabindex") !== "0") {  /* CodeMirror sets -1: a scrolling region must be reachable */
        el.setAttribute("tabindex", "0");
      }
    });
  }
  label();
  new MutationObserver(label).observe(root, { childList: true, subtree: true });
  document.getElementById("plain-library").hidden = true;

  /* A query the plain form posted and the server refused comes back in the page: keep it in the editor. */
  if (root.getAttribute("data-kept") === "1" && yasgui.getTab()) {
    yasgui.getTab().setQuery(root.getAttribute("data-query"));
  }

  /* Downloads: the query that produced the results, posted with format=csv|json|tsv. */
  var downloads = document.getElementById("downloads");
  yasgui.on("queryResponse", function (_yasgui, current) {
    var query = current.getQuery();
    downloads.querySelectorAll("input[name=query]").forEach(function (input) { input.value = query; });
    downloads.hidden = false;
  });

  /* The library: a query per option; its parameters become fields; "Run" binds them on the server. */
  var picker = document.getElementById("library-picker");
  var select = document.getElementById("library-query");
  var description = document.getElementById("library-description");
  var form = document.getElementById("library-params");
  library.forEach(function (q) {
    var option = document.createElement("option");
    option.value = q.name;
    option.textContent = q.name + ": " + q.title;
    select.appendChild(option);
  });
  picker.hidden = false;

  function chosen() {
    return library.filter(function (q) { return q.name === select.value; })[0];
  }

  select.addEventListener("change", function () {
    var q = chosen();
    form.textContent = "";
    description.textContent = q ? q.description : "";
    if (!q) {
      return;
    }
    q.params.forEach(function (p) {
      var row = document.createElement("p");
      var label = document.createElement("label");
      label.setAttribute("for", "param-" + p.name);
      label.textContent = p.name + (p.optional ? " (optional)" : "");
      var input = document.createElement("input");
      input.id = "param-" + p.name;
      input.name = p.name;
      input.value = p.default || "";
      input.setAttribute("aria-describedby", "param-help-" + p.name);
      var help = document.createElement("span");
      help.id = "param-help-" + p.name;
      help.className = "meta";
      help.textContent = " " + p.description;
      row.appendChild(label);
      row.appendChild(document.createTextNode(" "));
      row.appendChild(input);
      row.appendChild(help);
      form.appendChild(row);
    });
    var run = document.createElement("button");
    run.type = "submit";
    run.textContent = "Run";
    form.appendChild(run);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = chosen();
    if (!q) {
      return;
    }
    var params = new URLSearchParams(new FormData(form));
    fetch("/sparql/library/" + encodeURIComponent(q.name) + "?" + params.toString(),
          { headers: { Accept: "application/sparql-query" } })
      .then(function (response) {
        return response.text().then(function (text) { return { ok: response.ok, text: text }; });
      })
      .then(function (answer) {
        if (!answer.ok) {
          description.textContent = answer.text;
          return;
        }
        var current = yasgui.getTab();
        current.setQuery(answer.text);
        current.query();
      });
  });
})();
