import type { ReactNode } from "react";
import { useSession } from "../auth/session-context.tsx";
import { NotFoundPage } from "../pages/not-found-page.tsx";
import type { Section } from "./navigation.ts";

/** Renders a section's page only for a role that may see it; for others the page does not exist. */
export function RequireSection({ section, children }: { section: Section; children: ReactNode }) {
  const session = useSession();
  return session.user?.sections.has(section.id) ? children : <NotFoundPage />;
}
