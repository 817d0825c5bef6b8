import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link } from "react-router-dom";
import { logIn } from "../api.js";
import { TextField } from "../components/Field.js";
import { ErrorMessage, usePageTitle } from "../components/Status.js";
import { sessionQuery } from "../queries.js";

export function LogInPage() {
  usePageTitle("Log in");
  const queryClient = useQueryClient();
  // With a session in place, the page around this form moves on (see GuestOnly).
  const login = useMutation({
    mutationFn: logIn,
    onSuccess: (session) => queryClient.setQueryData(sessionQuery.queryKey, session),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    login.mutate({ email: String(form.get("email")), password: String(form.get("password")) });
  };
  return (
    <section className="card auth-card" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <p className="lead">Welcome back. Your circles are waiting.</p>
      <form onSubmit={submit} className="form">
        {login.isError && <ErrorMessage error={login.error} />}
        <TextField label="Email" name="email" type="email" autoComplete="email" required maxLength={254} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={200}
        />
        <button type="submit" className="button button-primary" disabled={login.isPending}>
          {login.isPending ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p className="auth-switch">
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </section>
  );
}
