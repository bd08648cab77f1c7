'use strict'
module.exports = require('../unavailable.cjs')('@grpc/proto-loader', "dockerode's BuildKit sessions (docker.buildImage with version 2)")
