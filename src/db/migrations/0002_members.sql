-- An invitation may offer a member record made for someone who is not online yet; accepting claims it.
ALTER TABLE invitations ADD COLUMN member_id uuid;
ALTER TABLE invitations ADD CONSTRAINT invitations_member_fkey FOREIGN KEY (org_id, member_id) REFERENCES members (org_id, id);
CREATE INDEX invitations_member_idx ON invitations (org_id, member_id) WHERE member_id IS NOT NULL;
CREATE INDEX invitations_created_idx ON invitations (org_id, created_at);
