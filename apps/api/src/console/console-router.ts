// The web console at /ui: the static build of apps/console (index.html and hashed assets), public
// like /docs (the console signs in with a token and calls /v1 itself). Hashed assets are cached for
// good; index.html is revalidated, so a new build is picked up at once. Without a build, /ui says
// how to make one rather than answering a bare 404.
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { ApiError } from "../http/errors.ts";

const OPTIONS = { config: { access: "public" as const }, schema: { hide: true } };

export async function consoleRouter(app: FastifyInstance, { dir }: { dir: string }): Promise<void> {
  if (!existsSync(join(dir, "index.html"))) {
    const notBuilt = async () => {
      throw new ApiError(
        404,
        "not_found",
        "the console is not built: run `npm run build -w @gantry/console`",
      );
    };
    app.get("/ui", OPTIONS, notBuilt);
    app.get("/ui/*", OPTIONS, notBuilt);
    return;
  }
  // The assets are addressed relative to /ui/, so /ui itself moves there.
  app.get("/ui", OPTIONS, (_request, reply) => reply.redirect("/ui/"));
  await app.register(fastifyStatic, {
    root: dir,
    prefix: "/ui/",
    // Never a directory listing or dotfiles (the build's source hash).
    list: false,
    dotfiles: "deny",
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header(
        "cache-control",
        path.endsWith(".html") ? "no-cache" : "public, max-age=31536000, immutable",
      );
    },
  });
}
