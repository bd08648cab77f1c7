/** Labels on everything the action makes, so the post step can find it even when the main step was killed. */
export const LABEL_PREFIX = 'io.octopus-server-action'
export const LABELS = {
  managed: `${LABEL_PREFIX}.managed`,
  run: `${LABEL_PREFIX}.run`,
  role: `${LABEL_PREFIX}.role`,
  instance: `${LABEL_PREFIX}.instance`,
  sqlContainer: `${LABEL_PREFIX}.sql-container`,
  network: `${LABEL_PREFIX}.network`,
} as const

export type Role = 'octopus' | 'sql' | 'network' | 'volume'

export function labelsFor(runId: string, role: Role, instance: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [LABELS.managed]: 'true', [LABELS.run]: runId, [LABELS.role]: role, [LABELS.instance]: instance, ...extra }
}

/** The `filters` argument of the engine's list calls, selecting one run's resources. */
export function runFilter(runId: string): string {
  return JSON.stringify({ label: [`${LABELS.run}=${runId}`] })
}
