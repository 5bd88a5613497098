// Hash routes (#/stacks/…): the API serves one index.html and the console needs no server routes.
import { useEffect, useState } from "react";

export type Route =
  | { page: "stacks" }
  | { page: "new-stack" }
  | { page: "stack"; id: string }
  | { page: "edit-stack"; id: string }
  | { page: "drift" }
  | { page: "audit" };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const [first, second, third] = parts;
  if (first === "stacks" && second === "new") return { page: "new-stack" };
  if (first === "stacks" && second && third === "edit") return { page: "edit-stack", id: second };
  if (first === "stacks" && second) return { page: "stack", id: second };
  if (first === "drift") return { page: "drift" };
  if (first === "audit") return { page: "audit" };
  return { page: "stacks" };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export function go(hash: string): void {
  location.hash = hash;
}
