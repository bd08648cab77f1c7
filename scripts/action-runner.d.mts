import type { ChildProcess } from 'node:child_process'

export const ROOT: string
export const ENTRY: string

export interface StepResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  stateText: string
  summary: string
  dir: string
}

export interface StepOptions {
  phase?: 'main' | 'post'
  inputs?: Record<string, string>
  state?: Record<string, string>
  env?: Record<string, string>
  node?: string
  entry?: string
  workDir?: string
  onOutput?: (text: string) => void
  /** In a process group of its own: a terminal's Ctrl-C does not reach it. */
  detached?: boolean
}

export function parseFileCommand(text: string): Record<string, string>
export function inputVariable(name: string): string
export function startStep(options?: StepOptions): { child: ChildProcess; done: Promise<StepResult>; dir: string }
export function runStep(options?: StepOptions): Promise<StepResult>
