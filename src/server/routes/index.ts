import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../app/context.js";
import type { ServerConfig } from "../app.js";
import { authRoutes } from "./auth.js";
import { calendarRoutes } from "./calendar.js";
import { circleRoutes } from "./circles.js";
import { crisisRoutes } from "./crises.js";
import { decisionRoutes } from "./decisions.js";
import { eventRoutes } from "./events.js";
import { invitationRoutes } from "./invitations.js";
import { logRoutes } from "./log.js";
import { meetingRoutes } from "./meetings.js";
import { memberRoutes } from "./members.js";
import { mentorshipRoutes } from "./mentorships.js";
import { openapiRoute } from "./openapi.js";
import { orgRoutes } from "./orgs.js";
import { proposalRoutes } from "./proposals.js";
import { roleRoutes } from "./roles.js";
import { rotaRoutes } from "./rotas.js";
import { rotationRoutes } from "./rotation.js";
import { selectionRoutes } from "./selections.js";

/** Every resource registers here, under /api/v1. */
export async function registerRoutes(api: FastifyInstance, ctx: AppContext, config: ServerConfig) {
  await authRoutes(api, ctx, config);
  await orgRoutes(api, ctx);
  await circleRoutes(api, ctx);
  await roleRoutes(api, ctx);
  await memberRoutes(api, ctx);
  await invitationRoutes(api, ctx);
  await proposalRoutes(api, ctx);
  await decisionRoutes(api, ctx);
  await selectionRoutes(api, ctx);
  await crisisRoutes(api, ctx);
  await logRoutes(api, ctx);
  await eventRoutes(api, ctx);
  await rotationRoutes(api, ctx);
  await rotaRoutes(api, ctx);
  await mentorshipRoutes(api, ctx);
  await meetingRoutes(api, ctx);
  await calendarRoutes(api, ctx);
  openapiRoute(api);
}
