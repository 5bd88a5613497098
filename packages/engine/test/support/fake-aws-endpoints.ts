// Real HTTP servers on 127.0.0.1 standing in for the AWS endpoints the credential chain asks: STS
// (web identity and assumed roles), the ECS/EKS container credentials endpoint, and the EC2
// instance metadata service (IMDSv2). Each records what it was asked, for the tests to check.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface FakeEndpoint {
  url: string;
  /** Every request: method, path, headers and body. */
  requests: { method: string; path: string; headers: IncomingMessage["headers"]; body: string }[];
  close(): Promise<void>;
}

const EXPIRATION = "2099-01-01T00:00:00Z";

async function serve(
  answer: (request: FakeEndpoint["requests"][number], res: ServerResponse) => void,
): Promise<FakeEndpoint> {
  const requests: FakeEndpoint["requests"] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const request = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
      requests.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** STS: AssumeRoleWithWebIdentity and AssumeRole (Query API, XML answers), both with `credentials`. */
export function fakeSts(credentials: FakeCredentials): Promise<FakeEndpoint> {
  return serve(({ body }, res) => {
    const action = new URLSearchParams(body).get("Action");
    if (action !== "AssumeRoleWithWebIdentity" && action !== "AssumeRole") {
      res.writeHead(400, { "content-type": "text/xml" }).end("<ErrorResponse/>");
      return;
    }
    res.writeHead(200, { "content-type": "text/xml" }).end(
      `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>
  <Credentials><AccessKeyId>${credentials.accessKeyId}</AccessKeyId>
  <SecretAccessKey>${credentials.secretAccessKey}</SecretAccessKey>
  <SessionToken>${credentials.sessionToken}</SessionToken><Expiration>${EXPIRATION}</Expiration></Credentials>
  <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/gantry/engine</Arn>
  <AssumedRoleId>AROAEXAMPLE:engine</AssumedRoleId></AssumedRoleUser>
</${action}Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${action}Response>`,
    );
  });
}

/** Container credentials (ECS task role, EKS Pod Identity): GET with the authorization token. */
export function fakeContainerEndpoint(credentials: FakeCredentials, token: string): Promise<FakeEndpoint> {
  return serve(({ headers }, res) => {
    if (headers.authorization !== token) {
      res.writeHead(403, { "content-type": "application/json" }).end('{"Message":"forbidden"}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken,
        Expiration: EXPIRATION,
      }),
    );
  });
}

/** IMDSv2: a session token from PUT /latest/api/token, required by every read of the role's credentials. */
export function fakeInstanceMetadata(credentials: FakeCredentials, role: string): Promise<FakeEndpoint> {
  const sessionToken = "imds-session-token";
  const rolePath = "/latest/meta-data/iam/security-credentials/";
  return serve(({ method, path, headers }, res) => {
    if (method === "PUT" && path === "/latest/api/token") {
      if (!headers["x-aws-ec2-metadata-token-ttl-seconds"]) return void res.writeHead(400).end();
      return void res.writeHead(200, { "content-type": "text/plain" }).end(sessionToken);
    }
    // IMDSv1 (no token) is refused, as on an instance that requires IMDSv2.
    if (headers["x-aws-ec2-metadata-token"] !== sessionToken) return void res.writeHead(401).end();
    if (method === "GET" && path === rolePath) {
      return void res.writeHead(200, { "content-type": "text/plain" }).end(role);
    }
    if (method === "GET" && path === `${rolePath}${role}`) {
      return void res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          Code: "Success",
          LastUpdated: "2026-01-01T00:00:00Z",
          Type: "AWS-HMAC",
          AccessKeyId: credentials.accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          Token: credentials.sessionToken,
          Expiration: EXPIRATION,
        }),
      );
    }
    res.writeHead(404).end();
  });
}

/** A port where nothing listens: an instance metadata service that is not there. */
export async function closedEndpoint(): Promise<string> {
  const endpoint = await serve((_request, res) => res.writeHead(404).end());
  await endpoint.close();
  return endpoint.url;
}
