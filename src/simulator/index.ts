// The simulator's public surface: start one, drive its rooms, inject faults, read what it did.
export { startSimulator, Simulator, DEFAULT_ROOMS } from './simulator.ts';
export type { SimulatorOptions, RoomSpec, ReplayRoomSpec, FaultRequest, SimulatorFault } from './simulator.ts';
export { SimRoom } from './room.ts';
export type { EmitOptions, RoomSummary, BatchSize, PublishedMessage } from './room.ts';
export type { TruthRecord, GiftTruth, GiftTotals, MessageKind } from './ground-truth.ts';
export { MESSAGE_KINDS, giftTotals } from './ground-truth.ts';
export type { Fault, PushFault, HttpFault, FaultTarget, FaultRule } from './faults.ts';
export type { RequestLogEntry, RequestFilter } from './request-log.ts';
export type { ConnectionInfo, AckPolicy, ResumeOutcome } from './push-connection.ts';
export { parseRecordedFrames } from './replay.ts';
export type { ReplayFrame, ReplayPace } from './replay.ts';
export { manualClock, systemClock } from './clock.ts';
export type { Clock, ManualClock } from './clock.ts';
export { SimulatorError } from './errors.ts';
export { GIFT_CATALOG } from './gift-catalog.ts';
export { PUSH_PATH } from './push-server.ts';
