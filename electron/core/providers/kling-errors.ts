// Kling's error answers as ProviderErrors: its documented codes (docs/providers.md §5.7) decide the kind,
// its message names the field (in the inspector's words), and a task that failed moderation is "policy".
import { kindForStatus, retryWaitFor } from './http';
import { ProviderError, type ProviderErrorKind } from './provider-error';

/** The {code, message, request_id} part of every Kling answer. */
export interface KlingErrorEnvelope {
  code?: number;
  message?: string;
  request_id?: string;
}

/** Kling's request fields in the words the inspector uses (validate.ts field names). */
const FIELD_NAMES: Record<string, string> = {
  model_name: 'model',
  mode: 'tier',
  duration: 'duration',
  aspect_ratio: 'aspect ratio',
  cfg_scale: 'CFG scale',
  negative_prompt: 'negative prompt',
  prompt: 'prompt',
  multi_prompt: 'group',
  multi_shot: 'group',
  shot_type: 'shot type',
  sound: 'audio',
  voice_list: 'voices',
  voice_id: 'voices',
  element_list: 'elements',
  element_id: 'elements',
  image: 'start frame',
  image_tail: 'end frame',
  external_task_id: 'idempotency key',
  camera_control: 'camera control',
  callback_url: 'callback URL',
};

/**
 * The field a Kling message blames, in our words. Kling's messages name the wire field
 * ("duration …", "multi_prompt[2].prompt …"); the first field mentioned wins, and a field inside
 * a shot (multi_prompt[n].duration) maps to that field rather than to the group.
 */
export function klingFieldFromMessage(message: string): string | undefined {
  const names = Object.keys(FIELD_NAMES).sort((a, b) => b.length - a.length);
  const re = new RegExp(`(?<![A-Za-z_])(${names.join('|')})(?:\\[\\d+\\])?(?:\\.(\\w+))?(?![A-Za-z_])`);
  const m = re.exec(message);
  if (!m) return undefined;
  const inner = m[2] && FIELD_NAMES[m[2]];
  return inner || FIELD_NAMES[m[1]];
}

export const POLICY_WORDS = /moderat|content (safety|security|policy)|risk control|sensitive|policy|inappropriate|violat/i;

function kindForCode(code: number | undefined, status: number): ProviderErrorKind {
  switch (code) {
    case 1000: case 1001: case 1002: case 1003: case 1004: // auth failed / empty / invalid / not yet valid / expired
    case 1100: // account exception
    case 1103: // no access to this API or model
    case 1304: // IP whitelist
      return 'auth';
    case 1101: case 1102: // arrears / resource pack used up or expired
      return 'balance';
    case 1200: case 1201:
      return 'validation';
    case 1202: case 1203:
      return 'not-found';
    case 1300: case 1301:
      return 'policy';
    case 1302: case 1303:
      return 'rate-limit';
    case 5000: case 5001: case 5002:
      return 'outage';
  }
  // A 200 that carries a non-zero code Kling does not document is still a failure.
  return status >= 200 && status < 300 ? 'failed' : kindForStatus(status);
}

/** Maps one Kling error response (any status, or 200 with a non-zero code) to a ProviderError. Pure. */
export function klingErrorFromResponse(init: { status: number; body: unknown; retryAfter?: string | null; jobRef?: string }): ProviderError {
  const env = (typeof init.body === 'object' && init.body ? init.body : {}) as KlingErrorEnvelope;
  const code = typeof env.code === 'number' ? env.code : undefined;
  const text = typeof env.message === 'string' && env.message ? env.message : typeof init.body === 'string' ? init.body.slice(0, 300) : '';
  const kind = kindForCode(code, init.status);
  const providerMessage = [text || `HTTP ${init.status}`, code !== undefined ? `(code ${code})` : ''].filter(Boolean).join(' ');
  return new ProviderError({
    provider: 'kling',
    kind,
    providerMessage,
    field: kind === 'validation' ? klingFieldFromMessage(text) : undefined,
    status: init.status,
    retryAfterMs: retryWaitFor(kind, init.retryAfter),
    jobRef: init.jobRef,
  });
}
