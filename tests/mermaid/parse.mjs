// Read a Mermaid chart with the real Mermaid library, as a browser would,
// and say what it understood.
//
//   node tests/mermaid/parse.mjs NODE_PREFIX < chart.mmd
//
// NODE_PREFIX is the folder `npm install --prefix` put `mermaid` and
// `jsdom` in (tests/mermaid/install.sh). Mermaid expects a browser: jsdom
// provides the window and document it looks for.
//
// The text goes through `mermaid.parse` (the grammar), then, for a gantt
// chart, through the chart's own database, which works out every task's
// dates as the renderer would: a task whose name swallowed a `:` fails
// there, not in the grammar. On success it prints JSON: the diagram type,
// title, sections and tasks (names with Mermaid's entities decoded, start
// and exclusive end as YYYY-MM-DD, tags), and exits 0. Text Mermaid
// rejects exits 1 with its message; a missing mermaid or jsdom exits 2.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const prefix = process.argv[2];
if (!prefix) {
  console.error("usage: node parse.mjs NODE_PREFIX < chart.mmd");
  process.exit(2);
}

let mermaid;
try {
  const require = createRequire(join(prefix, "package.json"));
  const { JSDOM } = require("jsdom");
  const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>", {
    pretendToBeVisual: true,
  });
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  const url = pathToFileURL(require.resolve("mermaid")).href;
  mermaid = (await import(url)).default;
} catch (e) {
  console.error(`cannot load mermaid and jsdom from ${prefix}: ${e.message}`);
  process.exit(2);
}

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const text = Buffer.concat(chunks).toString("utf8");

// Mermaid keeps `#35;` as a placeholder until the SVG is drawn, then lets
// the browser decode it; decode it here the same way.
const decode = (s) =>
  s
    .replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/\uFB02\u00B0(\w+)\u00B6\u00DF/g, (_, name) => `&${name};`)
    .trim();
const day = (d) => {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

mermaid.initialize({ startOnLoad: false });
try {
  const parsed = await mermaid.parse(text);
  const result = { type: parsed.diagramType };
  if (parsed.diagramType === "gantt") {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    result.title = decode(db.getDiagramTitle());
    result.sections = db.getSections().map(decode);
    result.tasks = db.getTasks().map((t) => {
      if (Number.isNaN(t.startTime.getTime()) || Number.isNaN(t.endTime.getTime())) {
        throw new Error(`task ${t.id} has an invalid date`);
      }
      return {
        id: t.id,
        name: decode(t.task),
        section: decode(t.section),
        start: day(t.startTime),
        end: day(t.endTime),
        tags: ["done", "active", "crit", "milestone"].filter((tag) => t[tag]),
      };
    });
  }
  console.log(JSON.stringify(result, null, 1));
} catch (e) {
  console.log(`error: ${e.message ?? e}`);
  process.exit(1);
}
