import type { Server } from "node:http";
import net, { type AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** The callback address Passage is registered with at the test provider. */
export const TEST_OIDC_REDIRECT_URI = "http://localhost/api/v1/auth/oidc/callback";
/** Passage's client at the test provider. */
export const TEST_OIDC_CLIENT = { clientId: "passage", clientSecret: "passage-test-secret" } as const;

/** An issuer address on a loopback port free a moment ago (the issuer is where the provider listens). */
export async function freeTestIssuer(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
  return issuer;
}

/**
 * A real OpenID Connect provider (`oidc-provider`) listening at `issuer`, with Passage as its
 * client and each account's claims from `claimsOf(loginId)`. It keeps the specification's default
 * of giving profile claims only through UserInfo when an access token is issued.
 */
export async function startTestProvider(
  issuer: string,
  claimsOf: (loginId: string) => Record<string, unknown>,
): Promise<Server> {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_OIDC_CLIENT.clientId,
        client_secret: TEST_OIDC_CLIENT.clientSecret,
        redirect_uris: [TEST_OIDC_REDIRECT_URI],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], profile: ["preferred_username", "name", "roles"] },
    conformIdTokenClaims: true,
    cookies: { keys: ["passage-test-cookie-key"] },
    async findAccount(_context, id) {
      return { accountId: id, claims: async () => ({ sub: id, ...claimsOf(id) }) };
    },
  });
  return new Promise<Server>((resolve) => {
    const started = provider.listen(Number(new URL(issuer).port), "127.0.0.1", () => resolve(started));
  });
}

/**
 * Follows the provider's redirects as a browser would, answering its development login form with
 * the account and its consent form, until it redirects to Passage's callback.
 */
export async function walkProvider(start: string, account: string): Promise<URL> {
  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, ...value] = pair!.split("=");
      jar.set(name!.trim(), value.join("="));
    }
  };
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  let url = start;
  for (let step = 0; step < 20; step++) {
    if (url.startsWith(TEST_OIDC_REDIRECT_URI)) return new URL(url);
    const response = await fetch(url, { redirect: "manual", headers: { cookie: cookieHeader() } });
    remember(response);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get("location")!, url).href;
      continue;
    }
    const page = await response.text();
    const prompt =
      /name="prompt" value="(\w+)"/.exec(page)?.[1] ?? (page.includes('name="login"') ? "login" : "consent");
    const action = new URL(/action="([^"]+)"/.exec(page)![1]!, url).href;
    const form = new URLSearchParams({
      prompt,
      ...(prompt === "login" ? { login: account, password: "any" } : {}),
    });
    const submitted = await fetch(action, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    remember(submitted);
    url = new URL(submitted.headers.get("location")!, action).href;
  }
  throw new Error("the provider never redirected back");
}
