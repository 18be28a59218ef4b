import { Link } from "react-router";
import { visibleSections } from "../app/navigation.ts";
import { useSession } from "../auth/session-context.tsx";
import { PageHeader } from "../design/index.ts";

/** The signed-in landing page: the sections this role may use, and a reminder of the rules. */
export function HomePage() {
  const session = useSession();
  const sections = visibleSections(session.user?.sections ?? new Set());
  return (
    <>
      <PageHeader title={`Welcome, ${session.user?.displayName ?? ""}`} />
      <section className="card" aria-labelledby="sections-title">
        <h2 id="sections-title">Your sections</h2>
        {sections.length === 0 ? (
          <p>Your role has no sections in this version of the interface yet.</p>
        ) : (
          <ul>
            {sections.map((section) => (
              <li key={section.path}>
                <Link to={section.path}>{section.label}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Before you start</h2>
        <ul>
          <li>State your purpose of use at the top of the page; it is recorded with every case you open.</li>
          <li>
            Due-process protections (stays, appeals, citizenship claims, ...) cannot be overridden by anyone.
          </li>
          <li>Passage holds no addresses or location data and does no biometric matching.</li>
        </ul>
      </section>
    </>
  );
}
