import { Link } from "react-router-dom";
import { GuestFrame } from "../components/Layout.js";
import { usePageTitle } from "../components/Status.js";

export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <GuestFrame>
      <section className="card auth-card">
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <p>
          <Link to="/">Go to the start page</Link>
        </p>
      </section>
    </GuestFrame>
  );
}
