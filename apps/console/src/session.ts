// The signed-in token lives in sessionStorage: it goes with the tab, never to disk or other tabs.
const KEY = "gantry.token";

export function savedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
