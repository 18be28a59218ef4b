import { NavLink, Outlet } from "react-router";
import { useSession } from "../auth/session-context.tsx";
import { Button } from "../design/index.ts";
import { visibleSections } from "./navigation.ts";
import { PurposePicker } from "./purpose-picker.tsx";

const ROLE_LABELS: Record<string, string> = {
  removal_officer: "Removal officer",
  investigator: "Investigator",
  supervisor: "Supervisor",
  legal_counsel: "Legal counsel",
  transport_planner: "Transport planner",
  data_steward: "Data steward",
  auditor: "Auditor",
  privacy_officer: "Privacy officer",
  admin: "Administrator",
  consular_officer: "Consular officer",
  local_operator: "Local operator",
};

/** Human label of a role name. */
export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role.replaceAll("_", " ");
}

/** The signed-in frame: skip link, navigation of the sections the role permits, user bar, page. */
export function AppShell() {
  const session = useSession();
  const user = session.user!;
  const sections = visibleSections(session.user?.sections ?? new Set());
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="shell-nav" aria-label="Sections">
        <div className="shell-brand">Passage</div>
        <ul>
          <li>
            <NavLink to="/" end>
              Home
            </NavLink>
          </li>
          {sections.map((section) => (
            <li key={section.path}>
              <NavLink to={section.path}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="shell-main">
        {/* The banner landmark: the purpose and the signed-in user are in a region, as axe asks. */}
        <header className="shell-bar">
          <PurposePicker />
          <div className="shell-user">
            <span data-testid="signed-in-user">
              <strong>{user.displayName}</strong>
              <br />
              {user.roles.map(roleLabel).join(", ")}
              {user.office ? ` · ${user.office}` : ""}
            </span>
            <Button onClick={() => void session.signOut()}>Sign out</Button>
          </div>
        </header>
        <main id="main" className="shell-content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
