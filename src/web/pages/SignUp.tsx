import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link } from "react-router-dom";
import { signUp } from "../api.js";
import { TextField } from "../components/Field.js";
import { ErrorMessage, usePageTitle } from "../components/Status.js";
import { sessionQuery } from "../queries.js";

const PASSWORD_MIN_LENGTH = 10;

export function SignUpPage() {
  usePageTitle("Create an account");
  const queryClient = useQueryClient();
  // With a session in place, the page around this form moves on (see GuestOnly).
  const signup = useMutation({
    mutationFn: signUp,
    onSuccess: (session) => queryClient.setQueryData(sessionQuery.queryKey, session),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signup.mutate({
      name: String(form.get("name")).trim(),
      email: String(form.get("email")).trim(),
      password: String(form.get("password")),
    });
  };
  return (
    <section className="card auth-card" aria-labelledby="signup-title">
      <h1 id="signup-title">Create an account</h1>
      <p className="lead">Lead together: circles, roles and decisions everyone can see.</p>
      <form onSubmit={submit} className="form">
        {signup.isError && <ErrorMessage error={signup.error} />}
        <TextField label="Your name" name="name" autoComplete="name" required maxLength={100} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required maxLength={254} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          maxLength={200}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        />
        <button type="submit" className="button button-primary" disabled={signup.isPending}>
          {signup.isPending ? "Creating your account…" : "Create account"}
        </button>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}
