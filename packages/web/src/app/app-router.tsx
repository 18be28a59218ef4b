import { createHashRouter, RouterProvider } from "react-router";
import { useSession } from "../auth/session-context.tsx";
import { SignInPage } from "../auth/sign-in-page.tsx";
import { Loading } from "../design/index.ts";
import { HomePage } from "../pages/home-page.tsx";
import { NotFoundPage } from "../pages/not-found-page.tsx";
import { AppShell } from "./app-shell.tsx";
import { SECTIONS } from "./navigation.ts";
import { RequireSection } from "./require-section.tsx";
import { RouteErrorPage } from "./route-error-page.tsx";
import { SECTION_PAGES } from "./section-pages.tsx";

/**
 * Hash routing (`/#/worklists`): the server serves one index.html at `/`, and deep links and
 * reloads work without a server-side fallback route.
 */
const router = createHashRouter([
  {
    path: "/",
    element: <AppShell />,
    // A page that fails while rendering shows a plain error page, never the router's developer
    // screen: inside the shell (the pathless route below) or, should the shell itself fail, alone.
    errorElement: <RouteErrorPage />,
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <HomePage /> },
          ...SECTIONS.flatMap((section) =>
            (SECTION_PAGES[section.id] ?? []).map((page) => ({
              path: page.path,
              element: <RequireSection section={section}>{page.element}</RequireSection>,
            })),
          ),
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

/** Anonymous visitors get the sign-in page at every address; signed-in users get the app. */
export function AppRouter() {
  const session = useSession();
  if (session.user === undefined) return <Loading what="Passage" />;
  if (session.user === null) return <SignInPage />;
  return <RouterProvider router={router} />;
}
