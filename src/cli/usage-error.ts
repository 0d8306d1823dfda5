/** A command line that cannot be understood: exit code 2, like invalid input. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
