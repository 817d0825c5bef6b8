import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, type Session } from "../api.js";
import { acceptInvitation, type InvitationPreview } from "../api-people.js";
import { GuestFrame } from "../components/Layout.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { accessLabel, formatDate } from "../format.js";
import { sessionQuery } from "../queries.js";
import { invitationPreviewQuery } from "../queries-people.js";
import "../people.css";

const UNUSABLE: Record<Exclude<InvitationPreview["state"], "open">, string> = {
  accepted: "This invitation has been used already.",
  revoked: "This invitation was withdrawn by an admin.",
  expired: "This invitation has expired.",
};

function JoinButton({ token, preview }: { token: string; preview: InvitationPreview }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const accept = useMutation({
    mutationFn: () => acceptInvitation(token),
    onSuccess: async ({ org }) => {
      await queryClient.invalidateQueries({ queryKey: sessionQuery.queryKey });
      navigate(`/orgs/${org.slug}`, { replace: true });
    },
  });
  return (
    <>
      {accept.isError && <ErrorMessage error={accept.error} title="You have not joined" />}
      <button
        type="button"
        className="button button-primary"
        onClick={() => accept.mutate()}
        disabled={accept.isPending}
      >
        {accept.isPending ? "Joining…" : `Join ${preview.org.name}`}
      </button>
    </>
  );
}

function Offer({
  token,
  preview,
  session,
}: {
  token: string;
  preview: InvitationPreview;
  session: Session | null;
}) {
  const back = { from: `/join/${token}` };
  return (
    <>
      <h1 id="join-title">Join {preview.org.name}</h1>
      {preview.org.purpose && (
        <blockquote className="purpose">
          <p className="purpose-label">Purpose</p>
          <p>{preview.org.purpose}</p>
        </blockquote>
      )}
      <p>
        You are invited as {preview.access === "admin" ? "an" : "a"}{" "}
        <strong>{accessLabel[preview.access].toLowerCase()}</strong>
        {preview.memberName && (
          <>
            , taking up the place kept for <strong>{preview.memberName}</strong>
          </>
        )}
        .
      </p>
      {preview.note && (
        <div className="handover">
          <p className="handover-label">A note from the organisation</p>
          <p className="pre-line">{preview.note}</p>
        </div>
      )}
      {preview.state !== "open" ? (
        <p className="notice notice-error">{UNUSABLE[preview.state]} Ask an admin for a new link.</p>
      ) : session ? (
        <div className="form">
          <p className="muted">
            You are logged in as {session.user.name}. The link is valid until {formatDate(preview.expiresAt)}.
          </p>
          <JoinButton token={token} preview={preview} />
        </div>
      ) : (
        <div className="form">
          <p className="muted">To join, create an account or log in; you come back here afterwards.</p>
          <div className="actions">
            <Link to="/signup" state={back} className="button button-primary">
              Create an account
            </Link>
            <Link to="/login" state={back} className="button button-secondary">
              Log in
            </Link>
          </div>
        </div>
      )}
    </>
  );
}

/** Where an invitation link lands: what it offers, then joining (after signing up or logging in). */
export function JoinPage() {
  const { token = "" } = useParams();
  usePageTitle("Invitation");
  const preview = useQuery(invitationPreviewQuery(token));
  const session = useQuery(sessionQuery);
  const pending = preview.isPending || session.isPending;
  return (
    <GuestFrame>
      <section className="card auth-card" aria-labelledby="join-title">
        {pending && <Loading label="Opening the invitation…" />}
        {preview.isError && (
          <>
            <h1 id="join-title">Invitation not found</h1>
            {preview.error instanceof ApiError && [400, 404].includes(preview.error.status) ? (
              <p>
                This link does not lead to an invitation. Check that it was copied whole, or ask for a new
                one.
              </p>
            ) : (
              <ErrorMessage error={preview.error} onRetry={() => preview.refetch()} />
            )}
          </>
        )}
        {session.isError && <ErrorMessage error={session.error} onRetry={() => session.refetch()} />}
        {preview.data && !session.isPending && !session.isError && (
          <Offer token={token} preview={preview.data} session={session.data ?? null} />
        )}
      </section>
    </GuestFrame>
  );
}
