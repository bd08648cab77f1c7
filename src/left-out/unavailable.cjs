'use strict'
/**
 * The exports of a package left out of the bundle: reading any of them throws an error that names the
 * package and what in the dependency tree would have needed it.
 */
module.exports = function unavailable(name, neededFor) {
  const fail = (key) => {
    throw new Error(
      `${name}${key ? ` (${key})` : ''} is left out of octopus-server-action's bundle; it is only needed for ${neededFor}. See src/left-out/README.md.`,
    )
  }
  return new Proxy(
    {},
    {
      // Module interop probes these; answering them is not a use of the package.
      get: (_, key) => (typeof key === 'symbol' || key === '__esModule' || key === 'then' ? undefined : fail(String(key))),
    },
  )
}
