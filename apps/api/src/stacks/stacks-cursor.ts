// Stacks page over (createdAt, id), newest first (http/cursor.ts).
import * as cursor from "../http/cursor.ts";

export interface StackCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(stack: StackCursor): string {
  return cursor.encodeCursor({ at: stack.createdAt, id: stack.id });
}
