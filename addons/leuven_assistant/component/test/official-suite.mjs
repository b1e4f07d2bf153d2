// Where the official JsonLogic test suite (the tests.json published at
// jsonlogic.com) comes from: the npm package json-logic-engine 1.3.2 ships it,
// unchanged in content, as bench/tests.json (devDependency alias
// "jsonlogic-official-tests"; `npm ci` installs it).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const OFFICIAL_SUITE = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "node_modules",
  "jsonlogic-official-tests",
  "bench",
  "tests.json",
);

/** The cases [{section, index, logic, data, expected}] or null when not installed. */
export function officialCases() {
  if (!existsSync(OFFICIAL_SUITE)) return null;
  const cases = [];
  let section = "";
  for (const entry of JSON.parse(readFileSync(OFFICIAL_SUITE, "utf8"))) {
    if (typeof entry === "string") section = entry.replace(/^#\s*/, "");
    else {
      const [logic, data, expected] = entry;
      cases.push({ section, index: cases.length, logic, data, expected });
    }
  }
  return cases;
}
