import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, Fragment, useId, useState } from "react";
import type { Access, Org } from "../api.js";
import {
  createInvitation,
  type Invitation,
  type OrgDetail,
  type OrgSettings,
  revokeInvitation,
  updateOrg,
} from "../api-people.js";
import { SelectField, TextAreaField, TextField } from "../components/Field.js";
import { useMemberNames, useOrg } from "../components/OrgFrame.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { accessLabel, formatDate } from "../format.js";
import { invitationsQuery, orgDetailQuery } from "../queries-people.js";
import "../people.css";

const ACCESS_LEVELS = Object.keys(accessLabel) as Access[];

const SETTING_FIELDS: {
  key: Exclude<keyof OrgSettings, "observersReadCircles">;
  label: string;
  hint: string;
  min: number;
  max: number;
}[] = [
  {
    key: "decisionReviewMonths",
    label: "Months until a decision is reviewed",
    hint: "The default term of an adopted decision; a circle may choose a shorter one.",
    min: 1,
    max: 60,
  },
  {
    key: "crisisMaxDays",
    label: "Longest crisis authority, in days",
    hint: "A circle may grant crisis authority for at most this long; it ends by itself.",
    min: 1,
    max: 90,
  },
  {
    key: "invitationDays",
    label: "Days an invitation link stays valid",
    hint: "Applies to invitations made from now on.",
    min: 1,
    max: 90,
  },
];

function OrgForm({ org }: { org: OrgDetail }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (change: Parameters<typeof updateOrg>[1]) => updateOrg(org.slug, change),
    onSuccess: (updated) => {
      queryClient.setQueryData(orgDetailQuery(org.slug).queryKey, updated);
      void queryClient.invalidateQueries({ queryKey: ["session"] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      name: String(form.get("name")).trim(),
      purpose: String(form.get("purpose")).trim(),
      settings: {
        ...Object.fromEntries(SETTING_FIELDS.map(({ key }) => [key, Number(form.get(key))])),
        observersReadCircles: form.get("observersReadCircles") === "on",
      },
    });
  };
  return (
    <form className="form" onSubmit={submit} onChange={() => save.reset()}>
      {save.isError && <ErrorMessage error={save.error} title="The settings were not saved" />}
      <TextField label="Name" name="name" required maxLength={120} defaultValue={org.name} />
      <TextAreaField
        label="Purpose"
        name="purpose"
        rows={5}
        maxLength={4000}
        defaultValue={org.purpose}
        hint="Why the organisation exists: the shared aim every circle serves."
      />
      <fieldset className="settings-defaults">
        <legend>Defaults</legend>
        {SETTING_FIELDS.map(({ key, label, hint, min, max }) => (
          <TextField
            key={key}
            label={label}
            name={key}
            type="number"
            inputMode="numeric"
            required
            min={min}
            max={max}
            step={1}
            defaultValue={org.settings[key]}
            hint={hint}
          />
        ))}
        <div className="check-field">
          <input
            id="observers-read-circles"
            type="checkbox"
            name="observersReadCircles"
            defaultChecked={org.settings.observersReadCircles}
            aria-describedby="observers-read-circles-hint"
          />
          <label htmlFor="observers-read-circles">Observers may read every circle's proposals</label>
          <p className="field-hint" id="observers-read-circles-hint">
            When off, observers see only the circles they are in.
          </p>
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save settings"}
        </button>
        {save.isSuccess && (
          <p role="status" className="saved">
            Settings saved.
          </p>
        )}
      </div>
    </form>
  );
}

function SettingsReadOnly({ org }: { org: OrgDetail }) {
  return (
    <>
      <p className="notice notice-info">Only admins change the organisation's settings.</p>
      <dl className="facts facts-grid">
        <dt>Purpose</dt>
        <dd>{org.purpose || <span className="muted">No purpose written yet.</span>}</dd>
        {SETTING_FIELDS.map(({ key, label }) => (
          <Fragment key={key}>
            <dt>{label}</dt>
            <dd>{org.settings[key]}</dd>
          </Fragment>
        ))}
        <dt>Observers may read every circle's proposals</dt>
        <dd>{org.settings.observersReadCircles ? "Yes" : "No"}</dd>
      </dl>
    </>
  );
}

/** The link of a new invitation: the server shows its token once, so it is offered to copy right away. */
function NewInvitationLink({ url, onDismiss }: { url: string; onDismiss: () => void }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
  };
  return (
    <section className="new-link" aria-labelledby={`${id}-title`}>
      <p className="notice-title" id={`${id}-title`}>
        Invitation link ready
      </p>
      <p>Send this link to the person you invite. It is shown only now: copy it before you leave the page.</p>
      <div className="copy-row">
        <label htmlFor={id} className="visually-hidden">
          Invitation link
        </label>
        <input id={id} readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="button button-primary" onClick={copy}>
          Copy link
        </button>
      </div>
      <p role="status" className="saved">
        {copied === "yes" && "Copied."}
        {copied === "no" && "Copying is not allowed here: select the link and copy it yourself."}
      </p>
      <button type="button" className="button button-quiet" onClick={onDismiss}>
        Done
      </button>
    </section>
  );
}

function InviteForm({ org }: { org: Org }) {
  const queryClient = useQueryClient();
  const [link, setLink] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: (input: { access: Access; note?: string }) => createInvitation(org.slug, input),
    onSuccess: ({ url }) => {
      setLink(new URL(url, window.location.origin).href);
      void queryClient.invalidateQueries({ queryKey: invitationsQuery(org.slug).queryKey });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get("note")).trim();
    invite.mutate({ access: form.get("access") as Access, ...(note ? { note } : {}) });
    event.currentTarget.reset();
  };
  return (
    <>
      {link && <NewInvitationLink url={link} onDismiss={() => setLink(null)} />}
      <form className="form" onSubmit={submit}>
        {invite.isError && <ErrorMessage error={invite.error} title="The invitation was not made" />}
        <SelectField label="Access" name="access" defaultValue="member">
          {ACCESS_LEVELS.map((level) => (
            <option key={level} value={level}>
              {accessLabel[level]}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="Note"
          name="note"
          rows={2}
          maxLength={1000}
          hint="Optional: a word of welcome, or who the link is for. The person sees it before joining."
        />
        <button type="submit" className="button button-primary" disabled={invite.isPending}>
          {invite.isPending ? "Making the link…" : "Create invitation link"}
        </button>
      </form>
    </>
  );
}

const INVITATION_STATE_WORDS: Record<Invitation["state"], string> = {
  open: "Open",
  accepted: "Accepted",
  revoked: "Revoked",
  expired: "Expired",
};

function InvitationRow({ org, invitation }: { org: Org; invitation: Invitation }) {
  const queryClient = useQueryClient();
  const { nameOf } = useMemberNames(org.slug);
  const revoke = useMutation({
    mutationFn: () => revokeInvitation(org.slug, invitation.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationsQuery(org.slug).queryKey }),
  });
  return (
    <li className={`item invitation invitation-${invitation.state}`}>
      <p className="item-head">
        <span className={`badge invitation-state-${invitation.state}`}>
          {INVITATION_STATE_WORDS[invitation.state]}
        </span>
        <span className="item-title">{accessLabel[invitation.access]}</span>
        <span className="muted">
          made {formatDate(invitation.createdAt)} by {nameOf(invitation.createdBy)}
          {invitation.state === "open" && ` · valid until ${formatDate(invitation.expiresAt)}`}
          {invitation.acceptedBy && ` · accepted by ${nameOf(invitation.acceptedBy)}`}
        </span>
      </p>
      {invitation.note && <p className="invitation-note">{invitation.note}</p>}
      {invitation.can.revoke && (
        <button
          type="button"
          className="button button-quiet"
          onClick={() => revoke.mutate()}
          disabled={revoke.isPending}
        >
          {revoke.isPending ? "Revoking…" : "Revoke"}
          <span className="visually-hidden"> the invitation made {formatDate(invitation.createdAt)}</span>
        </button>
      )}
      {revoke.isError && <ErrorMessage error={revoke.error} title="The invitation was not revoked" />}
    </li>
  );
}

function Invitations({ org }: { org: Org }) {
  const invitations = useQuery(invitationsQuery(org.slug));
  const open = invitations.data?.filter((i) => i.state === "open").length ?? 0;
  return (
    <section className="section" aria-labelledby="invitations-title" id="invitations">
      <h2 id="invitations-title">Invitations</h2>
      <p className="muted">
        Invite people by link: whoever opens it signs up or logs in and joins with the access you chose.
      </p>
      <div className="settings-grid">
        <div className="panel">
          <h3>Invite someone</h3>
          <InviteForm org={org} />
        </div>
        <div className="panel">
          <h3>Made so far {invitations.data && <span className="muted">({open} open)</span>}</h3>
          {invitations.isPending && <Loading label="Loading invitations…" />}
          {invitations.isError && (
            <ErrorMessage
              error={invitations.error}
              title="The invitations could not be loaded"
              onRetry={() => invitations.refetch()}
            />
          )}
          {invitations.data?.length === 0 && <p className="muted">No invitations yet.</p>}
          {invitations.data && invitations.data.length > 0 && (
            <ul className="item-list" aria-label="Invitations, newest first">
              {invitations.data.map((invitation) => (
                <InvitationRow key={invitation.id} org={org} invitation={invitation} />
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}

/** The organisation's name, purpose and defaults, and (for admins) its invitations. */
export function SettingsPage() {
  const frameOrg = useOrg();
  usePageTitle(`Settings · ${frameOrg.name}`);
  const org = useQuery(orgDetailQuery(frameOrg.slug));
  return (
    <div className="page">
      <h1>Settings</h1>
      <section className="section section-first" aria-labelledby="org-settings-title">
        <h2 id="org-settings-title">The organisation</h2>
        {org.isPending && <Loading label="Loading the settings…" />}
        {org.isError && (
          <ErrorMessage
            error={org.error}
            title="The settings could not be loaded"
            onRetry={() => org.refetch()}
          />
        )}
        {org.data && (
          <div className="panel panel-form">
            {org.data.can.update ? <OrgForm org={org.data} /> : <SettingsReadOnly org={org.data} />}
          </div>
        )}
      </section>
      {frameOrg.can.invite && <Invitations org={frameOrg} />}
    </div>
  );
}
