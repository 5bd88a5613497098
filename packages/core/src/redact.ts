// Removes known secret values from free text (engine messages, error strings) before it is stored
// or returned. The engine blinds secrets it knows; this covers what it cannot know about.
/** What stands for a secret value wherever Gantry shows one it may not reveal. */
export const SECRET_PLACEHOLDER = "[secret]";

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(SECRET_PLACEHOLDER);
  }
  return out;
}
