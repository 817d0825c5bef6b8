import type { FastifyError, FastifyInstance } from "fastify";
import { DomainError, type DomainErrorCode } from "../../core/errors.js";

const STATUS: Record<DomainErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  payload_too_large: 413,
  rate_limited: 429,
};

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

const body = (code: string, message: string, details: Record<string, unknown> = {}): ErrorBody => ({
  error: { code, message, details },
});

/** Maps every error to `{"error":{"code","message","details"}}` with the right status, in one place. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      return reply.status(STATUS[error.code]).send(body(error.code, error.message, error.details));
    }
    if (error.validation) {
      const problems = error.validation.map((v) => ({
        where: error.validationContext,
        path: v.instancePath || "/",
        problem:
          v.keyword === "additionalProperties"
            ? `unknown field "${String(v.params.additionalProperty)}"`
            : v.message,
      }));
      return reply
        .status(400)
        .send(
          body(
            "validation_failed",
            `Invalid ${error.validationContext ?? "request"}: ${problems[0]?.path} ${problems[0]?.problem}`,
            { problems },
          ),
        );
    }
    switch (error.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return reply.status(413).send(body("payload_too_large", "The request body is too large"));
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return reply
          .status(415)
          .send(body("unsupported_media_type", "Send JSON (Content-Type: application/json)"));
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return reply.status(400).send(body("invalid_json", "The request body is not valid JSON"));
    }
    if (error.statusCode === 429) {
      return reply.status(429).send(body("rate_limited", "Too many attempts; wait a minute and try again"));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(body("bad_request", error.message));
    }
    request.log.error({ err: error }, "unhandled error");
    return reply.status(500).send(body("internal", "Something went wrong on our side"));
  });
}

export const errorResponseSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } },
      required: ["code", "message", "details"],
    },
  },
} as const;
