'use strict'
module.exports = require('../unavailable.cjs')('@grpc/grpc-js', "dockerode's BuildKit sessions (docker.buildImage with version 2)")
