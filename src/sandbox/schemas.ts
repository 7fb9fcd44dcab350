import {z} from 'zod';

import {SandboxHttpError} from './http.js';

// Seam validates with zod 3; these messages are zod 3's (and Seam's own, for the phone), so the
// `validation_errors` a client sees read like the real ones.
const MIN_ONE = 'String must contain at least 1 character(s)';
const INVALID_EMAIL = 'Invalid email';
const INVALID_UUID = 'Invalid uuid';
const INVALID_PHONE = 'Phone number must be in E.164 format: +14155552671';
export const E164 = /^\+[1-9]\d{1,14}$/;

const uuid = z.string().regex(z.regexes.guid, INVALID_UUID);
const nonEmpty = z.string().min(1, MIN_ONE);

export const createInput = z.object({
  user_identity_key: nonEmpty.nullable().optional(),
  email_address: z.string().regex(z.regexes.email, INVALID_EMAIL).nullable().optional(),
  phone_number: z.string().regex(E164, INVALID_PHONE).nullable().optional(),
  full_name: nonEmpty.nullable().optional(),
  acs_system_ids: z.array(uuid).optional(),
});
export type CreateInput = z.output<typeof createInput>;

export const getInput = z
  .object({
    user_identity_id: uuid.optional(),
    user_identity_key: nonEmpty.optional(),
  })
  .superRefine((value, context) => {
    if (value.user_identity_id === undefined && value.user_identity_key === undefined) {
      context.addIssue({code: 'custom', message: 'Must specify either user_identity_id or user_identity_key'});
    }
  });

/** Query strings carry numbers as text; a GET list must still take `limit=2`. */
const limit = z.preprocess(
  (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
  z.number().int().min(1, 'Number must be greater than or equal to 1'),
);

export const listInput = z.object({
  search: z.string().optional(),
  limit: limit.optional(),
  page_cursor: z.string().nullable().optional(),
});
export type ListInput = z.output<typeof listInput>;

export const deleteInput = z.object({user_identity_id: uuid});

export const acsSystemsListInput = z.object({
  connected_account_id: uuid.optional(),
});

/** zod 3's wording for a wrong or missing type, as Seam answers it. */
function zod3Message(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'Required';
  return `Expected ${issue.expected}, received ${typeName(issue.input)}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
  return typeof value;
}

/** Parses a route's input, or throws Seam's 400 `invalid_input` with zod's formatted tree. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input, {error: zod3Message});
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const where = first === undefined || first.path.length === 0 ? '' : ` at ${first.path.join('.')}`;
  throw new SandboxHttpError(400, 'invalid_input', `Invalid input${where}: ${first?.message ?? 'invalid'}`, {
    validation_errors: z.formatError(result.error),
  });
}
