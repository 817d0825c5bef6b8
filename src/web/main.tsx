import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";
import { ErrorBoundary } from "./components/ErrorBoundary.js";
import { GuestOnly, RequireSession } from "./components/Layout.js";
import { ChooseOrgPage } from "./pages/ChooseOrg.js";
import { LogInPage } from "./pages/LogIn.js";
import { NotFoundPage } from "./pages/NotFound.js";
import { OrgOverviewPage } from "./pages/OrgOverview.js";
import { SignUpPage } from "./pages/SignUp.js";
import { createQueryClient } from "./queries.js";
import "./styles.css";

const queryClient = createQueryClient();

function App() {
  return (
    <Routes>
      <Route element={<GuestOnly />}>
        <Route path="/login" element={<LogInPage />} />
        <Route path="/signup" element={<SignUpPage />} />
      </Route>
      <Route element={<RequireSession />}>
        <Route path="/" element={<Navigate to="/orgs" replace />} />
        <Route path="/orgs" element={<ChooseOrgPage />} />
        <Route path="/orgs/:slug" element={<OrgOverviewPage />} />
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");
createRoot(container).render(
  <StrictMode>
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </ErrorBoundary>
  </StrictMode>,
);
