// The query page of `kyoyaku serve` (kyoyaku.serve.query_page): picks an example, binds its
// parameters through the server (query/examples/NAME, the same binding as `kyoyaku query --param`),
// POSTs the query to the endpoint, shows the rows as a table with IRIs as links, and offers the
// answer as CSV and JSON. Written for this page alone; nothing is loaded from elsewhere.
"use strict";
(() => {
  const ENDPOINT = "query";  // relative: the page is the endpoint, wherever a proxy puts it
  const form = document.getElementById("query-form");
  const box = document.getElementById("query-text");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");
  const csvLink = document.getElementById("download-csv");
  const jsonLink = document.getElementById("download-json");
  const texts = JSON.parse(document.getElementById("example-texts").textContent);
  let picked = null;   // the example in the box, while its text is as the page put it there
  let placed = "";     // the text the page put in the box
  let lastQuery = "";  // the query whose answer is shown
  let csvReady = false;  // its CSV fetched: the link downloads it
  const urls = [];     // object URLs of downloads, freed when a new answer comes

  const say = (text, isError) => {
    status.textContent = text;
    status.className = isError ? "error" : "";
  };

  // Show (and enable) the parameters of the example in the box alone.
  const showParameters = () => {
    for (const fields of document.querySelectorAll("fieldset.parameters")) {
      fields.hidden = fields.disabled = fields.dataset.example !== picked;
    }
  };

  box.addEventListener("input", () => {  // edited by hand: a query of one's own, without parameters
    if (picked && box.value !== placed) {
      picked = null;
      showParameters();
    }
  });

  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => {
      picked = button.dataset.example;
      placed = texts[picked];
      box.value = placed;
      showParameters();
      say("");
      box.scrollIntoView({block: "nearest"});
      box.focus();
    });
  }

  // The example with its parameters bound by the server, or null (the reason is shown).
  async function bound() {
    const fields = document.querySelector(`fieldset.parameters[data-example="${picked}"]`);
    if (!fields) return texts[picked];
    const values = new URLSearchParams();
    for (const input of fields.querySelectorAll("input")) {
      if (input.value.trim() !== "") values.append(input.name, input.value.trim());
    }
    const answer = await fetch(`${ENDPOINT}/examples/${encodeURIComponent(picked)}?${values}`);
    const text = await answer.text();
    if (!answer.ok) {
      say(text.trim(), true);
      return null;
    }
    return text;
  }

  const ask = (text, accept) => fetch(ENDPOINT, {
    method: "POST",
    headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    body: new URLSearchParams({query: text}),
  });

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const link = document.createElement("a");
      link.href = term.value;
      link.textContent = term.value;
      td.append(link);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.lang = term["xml:lang"];
    }
    return td;
  }

  function table(answer) {
    const head = answer.head.vars;
    const element = document.createElement("table");
    const top = element.createTHead().insertRow();
    for (const name of head) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      top.append(th);
    }
    const body = element.createTBody();
    for (const binding of answer.results.bindings) {
      const row = body.insertRow();
      for (const name of head) row.append(cell(binding[name]));
    }
    return element;
  }

  function offer(link, blob) {
    const url = URL.createObjectURL(blob);
    urls.push(url);
    link.href = url;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let text = box.value;
    if (picked) {
      text = await bound();
      if (text === null) return;
      box.value = placed = text;
    }
    say("実行中… / Running…");
    results.replaceChildren();
    downloads.hidden = true;
    urls.splice(0).forEach((url) => URL.revokeObjectURL(url));
    let answer;
    try {
      answer = await ask(text, "application/sparql-results+json, text/turtle;q=0.9");
    } catch (error) {
      say(`エラー / Error: ${error}`, true);
      return;
    }
    const kind = (answer.headers.get("Content-Type") || "").split(";")[0];
    const body = await answer.text();
    if (!answer.ok) {
      say(body.trim() || `HTTP ${answer.status}`, true);
      return;
    }
    lastQuery = text;
    if (kind === "application/sparql-results+json") {
      const parsed = JSON.parse(body);
      if ("boolean" in parsed) {
        say(`答え / Answer: ${parsed.boolean}`);
      } else {
        const count = parsed.results.bindings.length;
        say(`${count} 行 / ${count} rows`);
        results.append(table(parsed));
        offer(jsonLink, new Blob([body], {type: kind}));
        csvLink.href = "#";
        csvReady = false;
        downloads.hidden = false;
      }
    } else {  // a CONSTRUCT or DESCRIBE: the graph as Turtle
      say("グラフ（Turtle） / Graph (Turtle)");
      const pre = document.createElement("pre");
      pre.textContent = body;
      results.append(pre);
    }
  });

  // CSV is the endpoint's own (asked for when wanted), never written again by this script.
  csvLink.addEventListener("click", async (event) => {
    if (csvReady) return;  // fetched already: the browser downloads it
    event.preventDefault();
    const answer = await ask(lastQuery, "text/csv");
    if (!answer.ok) {
      say((await answer.text()).trim(), true);
      return;
    }
    offer(csvLink, await answer.blob());
    csvReady = true;
    csvLink.click();
  });
})();
