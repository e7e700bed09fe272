/** A scenario or run file that cannot be used: unreadable, not JSON, or invalid. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}
