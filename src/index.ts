import './shims/dirname.js'
import * as core from '@actions/core'
import { runMain } from './main.js'
import { runPost } from './post.js'
import { state } from './state.js'
import { CancelledError } from './wait/errors.js'

/** One entry for both steps: the main step marks its state, so the same bundle knows it runs as post. */
async function entry(): Promise<void> {
  if (state.isPost) {
    // The runner may signal a cancelled job during clean-up too: finish removing instead of dying halfway.
    process.on('SIGINT', () => core.info('Received SIGINT during clean-up; finishing clean-up'))
    process.on('SIGTERM', () => core.info('Received SIGTERM during clean-up; finishing clean-up'))
    await runPost()
    return
  }
  state.markMainStarted()
  const cancel = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (cancel.signal.aborted) return
      core.info(`Received ${signal}: the run was cancelled; stopping and removing what this step made`)
      cancel.abort(new CancelledError('the server to be ready'))
    })
  }
  await runMain(cancel.signal)
}

entry()
  .catch((e: unknown) => core.setFailed(e instanceof Error ? e.message : String(e)))
  .finally(() => process.exit())
