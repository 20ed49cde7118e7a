// What a document edit answers: the change it made (shared/api.ts EditReplySchema), never the whole
// document. The edit families apply their change through the session and return its state; this turns
// every method whose contract answer is an edit reply into one that answers with the session's change
// since the call began (session.replySince), so a keystroke in a 1,000-shot project sends one shot's field.
import { EditReplySchema, methods, type MethodName } from '../../../../shared/api';
import type { ProjectSession } from '../../project/session';
import type { Handlers } from '../handlers';

const answersWithChange = (method: string): boolean => methods[method as MethodName]?.output === EditReplySchema;

export function editReplies(session: ProjectSession, handlers: Partial<Handlers>): Partial<Handlers> {
  const out: Record<string, unknown> = {};
  for (const [method, handler] of Object.entries(handlers) as [string, (input: unknown) => unknown][]) {
    if (!answersWithChange(method)) {
      out[method] = handler;
      continue;
    }
    out[method] = async (input: unknown) => {
      const before = session.state().rev;
      await handler(input);
      return session.replySince(before);
    };
  }
  return out as Partial<Handlers>;
}
