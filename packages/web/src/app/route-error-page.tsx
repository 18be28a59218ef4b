import { Link, useRouteError } from "react-router";
import { Alert, PageHeader } from "../design/index.ts";

/**
 * What a page that failed while rendering shows in place of React Router's developer screen: a
 * plain sentence, the error's own message, and a way back. The failure is also logged to the
 * console for whoever looks into it.
 */
export function RouteErrorPage() {
  const error = useRouteError();
  console.error("a page failed", error);
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  return (
    <div className="stack" style={{ padding: 16 }}>
      <PageHeader title="Something went wrong" />
      <Alert tone="error" title="This page could not be shown">
        {message ? `${message}. ` : ""}Check the address, or go back and try again.
      </Alert>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </div>
  );
}
