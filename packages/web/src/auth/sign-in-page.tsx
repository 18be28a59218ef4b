import { type FormEvent, useEffect, useState } from "react";
import { fetchSingleSignOn, type SingleSignOn } from "../api/auth-api.ts";
import { Alert, Button, ErrorAlert, TextField } from "../design/index.ts";
import { useSession } from "./session-context.tsx";

/**
 * Where single sign-on brings the browser back: this page's address with its `#/...` route (the
 * UI's routes live after the `#`, which the browser never sends to the server), so signing in
 * returns to the page that asked for it, as the password form does.
 */
export function returnAddress(location: Pick<Location, "pathname" | "search" | "hash">): string {
  return `${location.pathname}${location.search}${location.hash}`;
}

/**
 * What an anonymous visitor sees at `/`: what Passage is, what it is not, and a sign-in form.
 * (ARCHITECTURE.md "Out of scope by design" is stated here so nobody mistakes it for a locator.)
 */
export function SignInPage() {
  const session = useSession();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [singleSignOn, setSingleSignOn] = useState<SingleSignOn | undefined>(undefined);

  useEffect(() => {
    document.title = "Sign in · Passage";
    let current = true;
    void fetchSingleSignOn().then((offered) => {
      if (current) setSingleSignOn(offered);
    });
    return () => {
      current = false;
    };
  }, []);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(username.trim(), password);
    } catch (failure) {
      setError(failure);
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sign-in">
      <main className="sign-in-about" aria-labelledby="about-title">
        <h1 id="about-title">Passage</h1>
        <p>
          An auditable immigration case lifecycle platform. Passage answers one question:{" "}
          <strong>what is this person's status, what may lawfully be done, and on what evidence.</strong>
        </p>
        <h2>What it does</h2>
        <ul>
          <li>
            Links the records that separate government systems hold about one person, and shows why each link
            was made.
          </li>
          <li>
            Derives each person's legal case status from those records, citing the source of every fact.
          </li>
          <li>
            Applies due-process protections first: a person protected by a stay, a pending appeal or a
            citizenship claim is never listed for action.
          </li>
          <li>
            Ranks ready cases by a published, versioned policy, with the rules that fired for each case.
          </li>
          <li>
            Records every access, with its stated purpose, in a tamper-evident log that anyone can verify.
          </li>
        </ul>
        <h2>What it is not</h2>
        <ul>
          <li>
            It holds <strong>no addresses and no location data</strong>, and has no feature to find where a
            person is.
          </li>
          <li>
            It does <strong>no biometric or facial matching</strong>.
          </li>
          <li>It takes no phone, vehicle, social-media or data-broker data.</li>
        </ul>
      </main>
      <section className="sign-in-form" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        <p className="field-hint">
          For authorised staff. Every page you open is recorded with your purpose of use.
        </p>
        {session.endedNotice && !error ? <Alert tone="warning">{session.endedNotice}</Alert> : null}
        <ErrorAlert error={error ?? session.loadError} />
        {singleSignOn ? (
          <p>
            {/* A navigation, not a fetch: the provider's pages take over the browser. */}
            <a className="button button-primary" href={singleSignOn.href(returnAddress(window.location))}>
              Sign in with {singleSignOn.providerName}
            </a>
          </p>
        ) : null}
        <form className="stack" onSubmit={onSubmit} aria-describedby="sign-in-title">
          <TextField
            label="Username"
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <div>
            <Button type="submit" variant="primary" disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </Button>
          </div>
        </form>
      </section>
    </div>
  );
}
