// Webhook signatures (as a receiver verifies them) and the auto-remediation rule.
import { describe, expect, it } from "vitest";
import { decideRemediation } from "../src/drift/remediation-policy.ts";
import { signatureHeader, verifySignature } from "../src/webhooks/signature.ts";

describe("webhook signatures", () => {
  const secret = "0123456789abcdef-secret";
  const body = JSON.stringify({ event: "drift.detected" });
  const now = 1_800_000_000;

  it("verify with the secret, for this body, within the tolerance", () => {
    const header = signatureHeader(secret, body, now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, body, header, { now })).toBe(true);
    expect(verifySignature("another-secret-here", body, header, { now })).toBe(false);
    expect(verifySignature(secret, `${body} `, header, { now })).toBe(false);
    expect(verifySignature(secret, body, header, { now: now + 301 })).toBe(false);
    expect(verifySignature(secret, body, "t=abc,v1=00", { now })).toBe(false);
  });
});

describe("auto-remediation", () => {
  const summary = (changes: Partial<Record<"create" | "update" | "replace" | "delete", number>>) => ({
    ok: true,
    summary: { create: 0, update: 0, replace: 0, delete: 0, same: 1, ...changes },
    error: null,
  });

  it("goes ahead when the preview only updates or recreates", () => {
    expect(decideRemediation(summary({ update: 2, create: 1 }))).toEqual({ decision: "remediate" });
  });

  it("waits for a person when the preview replaces or deletes", () => {
    const replace = decideRemediation(summary({ replace: 1 }));
    expect(replace).toMatchObject({
      decision: "needs_approval",
      reason: expect.stringMatching(/replaces 1/),
    });
    const both = decideRemediation(summary({ replace: 1, delete: 2 }));
    expect(both).toMatchObject({ reason: expect.stringMatching(/replaces 1 and deletes 2/) });
  });

  it("does nothing when the preview failed", () => {
    const failed = decideRemediation({ ok: false, summary: null, error: { message: "no server" } });
    expect(failed).toEqual({ decision: "preview_failed", reason: "no server" });
  });
});
