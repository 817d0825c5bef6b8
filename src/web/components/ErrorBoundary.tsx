import { Component, type ReactNode } from "react";

/** A failure while drawing a page shows a calm message and a way out, never a blank screen or a stack trace. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="guest-main crash" id="main">
        <div className="notice notice-error" role="alert">
          <p className="notice-title">This page could not be shown</p>
          <p>Something went wrong while drawing it. Reloading usually helps.</p>
          <button type="button" className="button button-secondary" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </div>
      </main>
    );
  }
}
