// Title, prompt and negative prompt: typed locally, saved after a pause (use-shot-draft), counted against
// Kling's limit, and marked with the core's problems (an empty prompt, say) before anything is generated.
import { useRef } from 'react';
import { MAX_PROMPT_CHARS } from '../../../../shared/schema';
import { useMentionMenu } from './mention-menu';
import { InspectorField } from './inspector-field';
import { useFieldProblems, useShotCapabilities } from './shot-hooks';
import { useShotDraft } from './use-shot-draft';
import { validatePrompt, validateTitle } from './validation';

export const NOT_SAVED =
  'Not saved yet: Storyreel did not take this edit (see the message). It stays here and is sent again when you edit it or the connection comes back.';

export function TitleField({ shotId }: { shotId: string }) {
  const draft = useShotDraft({ shotId, field: 'title', label: 'Title', read: (s) => s.title, validate: validateTitle, toPatch: (title) => ({ title }) });
  return (
    <InspectorField label="Title" error={draft.error} hint={draft.notSaved ? NOT_SAVED : undefined}>
      {({ disabled: _d, ...a }) => (
        <input
          {...a}
          className="input"
          type="text"
          data-draft-field="title"
          value={draft.text}
          placeholder="e.g. Lighthouse at dusk"
          autoComplete="off"
          onChange={(e) => draft.onChange(e.target.value)}
          onBlur={() => void draft.flush()}
        />
      )}
    </InspectorField>
  );
}

export function PromptField({ shotId, negative }: { shotId: string; negative?: boolean }) {
  const draft = useShotDraft({
    shotId,
    field: negative ? 'negativePrompt' : 'prompt',
    label: negative ? 'Negative prompt' : 'Prompt',
    read: (s) => (negative ? s.negativePrompt : s.prompt),
    validate: validatePrompt,
    toPatch: (text) => (negative ? { negativePrompt: text } : { prompt: text }),
  });
  const problems = useFieldProblems(negative ? 'negativePrompt' : 'prompt');
  const field = useRef<HTMLTextAreaElement>(null);
  // `@` offers the project's characters (not in the negative prompt, which names nobody).
  const mentions = useMentionMenu({ shotId, text: draft.text, onText: draft.onChange, field });
  const { reason } = useShotCapabilities(shotId);
  const off = negative ? reason('negativePrompt') : null;
  const over = draft.text.length > MAX_PROMPT_CHARS;
  const counter = (
    <span className={`counter${over ? ' counter--over' : ''}`} aria-label={`${draft.text.length} of ${MAX_PROMPT_CHARS} characters`}>
      {draft.text.length}/{MAX_PROMPT_CHARS}
    </span>
  );
  return (
    <InspectorField
      label={negative ? 'Negative prompt' : 'Prompt'}
      error={draft.error}
      problems={problems}
      disabledReason={off}
      aside={counter}
      hint={draft.notSaved ? NOT_SAVED : negative ? 'What the shot should avoid.' : undefined}
    >
      {(a) =>
        negative ? (
          <textarea
            {...a}
            className="input input--area"
            data-draft-field="negativePrompt"
            rows={2}
            value={draft.text}
            placeholder="blur, distortion, text"
            onChange={(e) => draft.onChange(e.target.value)}
            onBlur={() => void draft.flush()}
          />
        ) : (
          <div className="mention">
            <textarea
              {...a}
              {...mentions.inputProps}
              ref={field}
              className="input input--area"
              data-draft-field="prompt"
              rows={5}
              value={draft.text}
              placeholder="Describe the shot: subject, action, camera, light… Type @ to name a character."
              onChange={(e) => {
                draft.onChange(e.target.value);
                mentions.onTyped(e.target.value, e.target.selectionStart);
              }}
              onBlur={() => void draft.flush()}
            />
            {mentions.menu}
          </div>
        )
      }
    </InspectorField>
  );
}
