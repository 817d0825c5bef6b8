import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, Navigate, Outlet, useLocation, useNavigate } from "react-router-dom";
import { logOut, type Session } from "../api.js";
import { sessionQuery } from "../queries.js";
import { ErrorMessage, Loading } from "./Status.js";

function Brand() {
  return (
    <span className="brand">
      <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <circle cx="16" cy="16" r="14" />
        <circle cx="11" cy="13" r="5" />
        <circle cx="21" cy="13" r="5" />
        <circle cx="16" cy="22" r="5" />
      </svg>
      Polyphony
    </span>
  );
}

/** The narrow centred frame of the pages before anyone is logged in. */
export function GuestFrame({ children }: { children: ReactNode }) {
  return (
    <div className="guest">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="guest-header">
        <Brand />
      </header>
      <main id="main" className="guest-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function AppFrame({ session, children }: { session: Session; children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useMutation({
    mutationFn: logOut,
    onSuccess: () => {
      queryClient.clear();
      queryClient.setQueryData(sessionQuery.queryKey, null);
      navigate("/login", { replace: true });
    },
  });
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <Link to="/orgs" className="brand-link" aria-label="Polyphony: your organisations">
            <Brand />
          </Link>
          <nav aria-label="Account" className="account">
            <span className="account-name">{session.user.name}</span>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
            >
              {logout.isPending ? "Logging out…" : "Log out"}
            </button>
          </nav>
        </div>
      </header>
      {logout.isError && (
        <div className="app-banner">
          <ErrorMessage error={logout.error} title="You are still logged in" />
        </div>
      )}
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** Pages behind a login: without a session the visitor is sent to log in and brought back afterwards. */
export function RequireSession() {
  const session = useQuery(sessionQuery);
  const location = useLocation();
  if (session.isPending)
    return (
      <GuestFrame>
        <Loading />
      </GuestFrame>
    );
  if (session.isError)
    return (
      <GuestFrame>
        <ErrorMessage error={session.error} onRetry={() => session.refetch()} />
      </GuestFrame>
    );
  if (!session.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return (
    <AppFrame session={session.data}>
      <Outlet />
    </AppFrame>
  );
}

/** Where a guarded page sent the visitor from; only paths inside the app are followed. */
function useReturnPath() {
  const from = (useLocation().state as { from?: unknown } | null)?.from;
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") ? from : "/orgs";
}

/**
 * Log-in and sign-up pages: once there is a session (already, or from the form) the visitor goes on to
 * the page they first asked for, or to their organisations.
 */
export function GuestOnly() {
  const session = useQuery(sessionQuery);
  const returnPath = useReturnPath();
  if (session.isPending)
    return (
      <GuestFrame>
        <Loading />
      </GuestFrame>
    );
  if (session.data) return <Navigate to={returnPath} replace />;
  return (
    <GuestFrame>
      <Outlet />
    </GuestFrame>
  );
}
