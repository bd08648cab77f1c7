'use strict'
// ssh2 loads this optional native add-on inside a try and picks its ciphers without it.
throw new Error("cpu-features is left out of octopus-server-action's bundle (a native add-on ssh2 can do without). See src/left-out/README.md.")
