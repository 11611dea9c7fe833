// What the figures were measured on, and how busy the machine was while they were: every table
// prints the load average beside its figures, since the machine is shared.
import { cpus, freemem, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  node: string;
  platform: string;
}

export type LoadAverage = [number, number, number];

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: round1(totalmem() / 2 ** 30),
    freeMemoryGiB: round1(freemem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function loadAverage(): LoadAverage {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return [round2(one), round2(five), round2(fifteen)];
}

/** "load 9.23 9.21 8.22 on 2 cores" */
export function formatLoad(load: LoadAverage, cores = cpus().length): string {
  return `load ${load.map((value) => value.toFixed(2)).join(' ')} on ${cores} cores`;
}

export function describeMachine(info: MachineInfo = machineInfo()): string {
  return `${info.cores} × ${info.cpuModel}, ${info.memoryGiB} GiB RAM (${info.freeMemoryGiB} free), Node ${info.node}, ${info.platform}`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
