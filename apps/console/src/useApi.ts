// Loads what a page shows through the typed client: data, error, and a reload for after a change.
// `key` names the request (a new key loads again; null loads nothing).
import type { GantryClient } from "@gantry/client";
import { useCallback, useEffect, useRef, useState } from "react";
import { client } from "./client.ts";

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  reload: () => void;
}

export function useApi<T>(
  key: string | null,
  load: (api: GantryClient) => Promise<T>,
  refreshMs?: number,
): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(() => setTick((n) => n + 1), []);
  // tick is read so that reload() (a new tick) asks again.
  useEffect(() => {
    if (key === null || tick < 0) return;
    let live = true;
    loader.current(client()).then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
      },
      (err: Error) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload]);
  return { data, error, reload };
}
