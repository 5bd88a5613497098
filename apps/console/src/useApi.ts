// Loads an API resource for a page: data, error, and a reload for after a change.
import { useCallback, useEffect, useState } from "react";
import { type ApiError, get } from "./api.ts";

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  reload: () => void;
}

export function useApi<T>(path: string | null, refreshMs?: number): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError | Error>();
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  // tick is read so that reload() (a new tick) asks for the same path again.
  useEffect(() => {
    if (path === null || tick < 0) return;
    let live = true;
    get<T>(path).then(
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
  }, [path, tick]);
  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload]);
  return { data, error, reload };
}
