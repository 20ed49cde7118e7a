// Field limits, in one place: the document's schema (shared/schema.ts), the contract (shared/api.ts), the
// validator that runs before anything is sent (shared/validate.ts), the inspector's field rules
// (renderer/src/features/inspector/validation.ts) and the adapters all read them from here.

/** Kling V3 makes shots of 3 to 15 whole seconds on every route (docs/providers.md §1). */
export const MIN_SHOT_SECONDS = 3;
export const MAX_SHOT_SECONDS = 15;
/**
 * The shortest shot inside a multi-shot request: 1 s on every route (fal's KlingV3MultiPromptElement.duration
 * enum runs "1"…"15" in @fal-ai/client's generated endpoint types; Replicate and Kling document ≥ 1 s). The
 * group as a whole still runs MIN_SHOT_SECONDS–MAX_SHOT_SECONDS, and a shot on its own stays 3–15 s. Each
 * provider's own floor is its capability row's multiShot.minShotSec (shared/capabilities.ts).
 */
export const MIN_GROUP_SHOT_SECONDS = 1;
/** A prompt and a negative prompt: at most 2,500 characters on every provider. */
export const MAX_PROMPT_CHARS = 2500;
/** The prompt of one shot inside a multi-shot group (customize mode). */
export const MAX_SHOT_PROMPT_CHARS = 512;
/** Inline elements (fal, Lumenfall's fal route): a front image and 1–3 reference images (docs/providers.md §2.6). */
export const MAX_ELEMENT_REFERENCES = 3;
export const MAX_TITLE_CHARS = 200;
export const MAX_VOICES_PER_SHOT = 2;
export const MAX_DIALOGUE_LINES = 20;
export const MAX_SPEAKER_CHARS = 80;
export const MAX_LINE_CHARS = 500;
/** The highest price a person may type into Settings, in USD per output second (over ten times the dearest published figure, $0.42). */
export const MAX_PRICE_USD_PER_SEC = 5;
/** An element's pictures: a front view and up to three more (fal takes 1–3 references beside the front). */
export const MAX_ELEMENT_IMAGES = 4;
/** An element's reference video on fal: 3–10.05 s (KlingV3ComboElementInput, docs/providers.md §2.6). */
export const ELEMENT_VIDEO_MIN_SEC = 3;
export const ELEMENT_VIDEO_MAX_SEC = 10.05;
/** A voice sample to create a voice from: 5–30 s of one clean voice (fal create-voice, Kling custom-voices). */
export const VOICE_SAMPLE_MIN_SEC = 5;
export const VOICE_SAMPLE_MAX_SEC = 30;
/** Kling custom-voices: `voice_name` is at most 20 characters (docs/providers.md §5.2). */
export const KLING_VOICE_NAME_MAX = 20;
/** How long creating a voice may take before Storyreel stops waiting (the provider may still finish it). */
export const VOICE_CREATE_TIMEOUT_SEC = 180;
