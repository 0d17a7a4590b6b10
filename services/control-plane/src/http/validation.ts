/**
 * Request validation. Bodies are validated strictly (no type coercion, unknown fields refused, no
 * silent stripping); querystrings and path params arrive as text, so they may be coerced.
 */
import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

function ajv(options: Options): Ajv {
  const instance = new Ajv({ allErrors: false, strict: false, removeAdditional: false, useDefaults: true, ...options });
  addFormats.default(instance);
  // OpenAPI annotations that are not validation keywords.
  instance.addKeyword("example");
  return instance;
}

const strict = ajv({ coerceTypes: false });
const coercing = ajv({ coerceTypes: "array" });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  httpPart === "body" ? strict.compile(schema) : coercing.compile(schema);
