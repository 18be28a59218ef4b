import { Link } from "react-router";
import { PageHeader } from "../design/index.ts";

/** An unknown address, or a section the user's role does not include (the two look the same). */
export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no page at this address for your role. <Link to="/">Go to the home page</Link>.
      </p>
    </>
  );
}
