import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";
import { ErrorBoundary } from "./components/ErrorBoundary.js";
import { GuestOnly, RequireSession } from "./components/Layout.js";
import { OrgFrame } from "./components/OrgFrame.js";
import { ChooseOrgPage } from "./pages/ChooseOrg.js";
import { CirclePage } from "./pages/Circle.js";
import { CrisesPage } from "./pages/Crises.js";
import { CrisisPage } from "./pages/Crisis.js";
import { DashboardPage } from "./pages/Dashboard.js";
import { DecisionsPage } from "./pages/Decisions.js";
import { ElectionPage } from "./pages/Election.js";
import { ElectionsPage } from "./pages/Elections.js";
import { JoinPage } from "./pages/Join.js";
import { LogInPage } from "./pages/LogIn.js";
import { MemberPage } from "./pages/Member.js";
import { MembersPage } from "./pages/Members.js";
import { NewProposalPage } from "./pages/NewProposal.js";
import { NotFoundPage } from "./pages/NotFound.js";
import { OrgHomePage } from "./pages/OrgHome.js";
import { CirclesPage } from "./pages/OrgOverview.js";
import { ProposalPage } from "./pages/Proposal.js";
import { ProposalsPage } from "./pages/Proposals.js";
import { RolePage } from "./pages/Role.js";
import { RotasPage } from "./pages/Rotas.js";
import { RotationPage } from "./pages/Rotation.js";
import { RotationPlanPage } from "./pages/RotationPlan.js";
import { SettingsPage } from "./pages/Settings.js";
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
        <Route path="/orgs/:slug" element={<OrgFrame />}>
          <Route index element={<OrgHomePage />} />
          <Route path="circles" element={<CirclesPage />} />
          <Route path="circles/:circleId" element={<CirclePage />} />
          <Route path="roles/:roleId" element={<RolePage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="members/:memberId" element={<MemberPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="proposals" element={<ProposalsPage />} />
          <Route path="proposals/new" element={<NewProposalPage />} />
          <Route path="proposals/:id" element={<ProposalPage />} />
          <Route path="decisions" element={<DecisionsPage />} />
          <Route path="elections" element={<ElectionsPage />} />
          <Route path="elections/:id" element={<ElectionPage />} />
          <Route path="rotation" element={<RotationPage />} />
          <Route path="rotation/plan" element={<RotationPlanPage />} />
          <Route path="rotation/rotas" element={<RotasPage />} />
          <Route path="crises" element={<CrisesPage />} />
          <Route path="crises/:id" element={<CrisisPage />} />
          <Route path="dashboard" element={<DashboardPage />} />
        </Route>
      </Route>
      <Route path="/join/:token" element={<JoinPage />} />
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
