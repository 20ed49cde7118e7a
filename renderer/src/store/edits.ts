// Debounced edits register a flush here, so anything that must see every keystroke first (generate,
// ⌘S, switching shots) can send what is still waiting.
export type Flush = () => Promise<void>;

export class EditRegistry {
  private readonly flushers = new Set<Flush>();

  register(flush: Flush): () => void {
    this.flushers.add(flush);
    return () => void this.flushers.delete(flush);
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.flushers].map((f) => f()));
  }
}
