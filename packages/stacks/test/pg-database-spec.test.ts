// The pg-database spec as the API sees it: defaults, refusals a person understands, PATCH merges.
import { describe, expect, it } from "vitest";
import { formatIssues, mergeSpec, parseSpec } from "../src/index.ts";

describe("pg-database spec", () => {
  it("fills in defaults", () => {
    expect(parseSpec("pg-database", {})).toEqual({ ok: true, spec: { connectionLimit: 20, extensions: [] } });
  });

  it("accepts -1 as unlimited and allowed extensions", () => {
    expect(parseSpec("pg-database", { connectionLimit: -1, extensions: ["uuid-ossp", "citext"] })).toEqual({
      ok: true,
      spec: { connectionLimit: -1, extensions: ["uuid-ossp", "citext"] },
    });
  });

  it.each([
    [{ connectionLimit: 1001 }, "connectionLimit", "must be at most 1000"],
    [{ connectionLimit: -2 }, "connectionLimit", "must be at least -1"],
    [{ connectionLimit: 2.5 }, "connectionLimit", "must be a whole number"],
    [{ connectionLimit: "20" }, "connectionLimit", "must be a number"],
    [{ connectionLimit: 2 ** 60 }, "connectionLimit", "must be at most 1000"],
    [{ extensions: "pgcrypto" }, "extensions", "must be a list"],
    [
      { extensions: ["pgcrypto", "plpython3u"] },
      "extensions[1]",
      "must be one of: btree_gin, btree_gist, citext, hstore, pg_trgm, pgcrypto, uuid-ossp",
    ],
    [{ extensions: ["citext", "citext"] }, "extensions", "must not list an extension twice"],
    [{ colour: "blue" }, "colour", "is not a known field"],
    ["twenty", "", "must be an object"],
    [null, "", "must be an object"],
  ])("refuses %j: %s %s", (input, path, message) => {
    expect(parseSpec("pg-database", input)).toEqual({ ok: false, issues: [{ path, message }] });
  });

  it("reports every wrong field at once, one message each", () => {
    const result = parseSpec("pg-database", {
      connectionLimit: 5000,
      extensions: ["nope"],
      colour: 1,
      size: 2,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatIssues(result.issues)).toBe(
      "connectionLimit: must be at most 1000; extensions[0]: must be one of: btree_gin, btree_gist, citext, " +
        "hstore, pg_trgm, pgcrypto, uuid-ossp; colour: is not a known field; size: is not a known field",
    );
  });

  it("refuses an unknown kind", () => {
    expect(parseSpec("mainframe", {})).toEqual({
      ok: false,
      issues: [
        {
          path: "kind",
          message: expect.stringMatching(/^"mainframe" is not a known kind \(known: .*pg-database/),
        },
      ],
    });
  });
});

describe("pg-database spec changes (PATCH)", () => {
  const previous = { connectionLimit: 5, extensions: ["pgcrypto"] };

  it("changes only the fields sent", () => {
    expect(mergeSpec("pg-database", previous, { connectionLimit: 7 })).toEqual({
      ok: true,
      spec: { connectionLimit: 7, extensions: ["pgcrypto"] },
    });
  });

  it("replaces lists rather than merging them", () => {
    expect(mergeSpec("pg-database", previous, { extensions: ["citext"] })).toEqual({
      ok: true,
      spec: { connectionLimit: 5, extensions: ["citext"] },
    });
  });

  it("brings back a default when a field is set to null", () => {
    expect(mergeSpec("pg-database", previous, { connectionLimit: null })).toEqual({
      ok: true,
      spec: { connectionLimit: 20, extensions: ["pgcrypto"] },
    });
  });

  it("validates the merged spec", () => {
    expect(mergeSpec("pg-database", previous, { connectionLimit: 1001, colour: "red" })).toEqual({
      ok: false,
      issues: [
        { path: "connectionLimit", message: "must be at most 1000" },
        { path: "colour", message: "is not a known field" },
      ],
    });
  });

  it("treats __proto__ in a patch as an unknown field, not a prototype", () => {
    const patch = JSON.parse('{"__proto__": {"connectionLimit": 3}}');
    expect(mergeSpec("pg-database", previous, patch)).toEqual({
      ok: false,
      issues: [{ path: "__proto__", message: "is not a known field" }],
    });
  });
});
