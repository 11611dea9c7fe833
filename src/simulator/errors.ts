// The simulator's own failures, with codes its control API reports.

export type SimulatorErrorCode = 'ROOM_NOT_FOUND' | 'ROOM_ENDED' | 'BAD_REQUEST' | 'KIND_UNAVAILABLE' | 'FAULT_NOT_FOUND';

export class SimulatorError extends Error {
  readonly code: SimulatorErrorCode;

  constructor(code: SimulatorErrorCode, message: string) {
    super(message);
    this.name = 'SimulatorError';
    this.code = code;
  }
}
