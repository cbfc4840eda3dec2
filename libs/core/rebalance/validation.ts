/** Inputs arrive from policies and etcd; a nonsensical number is refused by name instead of planned with. */
export class InvalidRebalanceInputError extends RangeError {
  constructor(field: string, requirement: string, value: unknown) {
    super(`${field} must be ${requirement} (got ${String(value)})`);
    this.name = 'InvalidRebalanceInputError';
  }
}

export function requireWholeNumber(field: string, value: number, minimum = 0): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new InvalidRebalanceInputError(field, `an integer ≥ ${minimum}`, value);
  }
}

export function requireFraction(field: string, value: number, upperBound: 'below-one' | 'up-to-one'): void {
  const withinRange = value >= 0 && (upperBound === 'below-one' ? value < 1 : value <= 1);
  if (!Number.isFinite(value) || !withinRange) {
    throw new InvalidRebalanceInputError(field, upperBound === 'below-one' ? 'in [0, 1)' : 'in [0, 1]', value);
  }
}

export function requireFinite(field: string, value: number): void {
  if (!Number.isFinite(value)) throw new InvalidRebalanceInputError(field, 'a finite number', value);
}
