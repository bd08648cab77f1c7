'use strict'
module.exports = require('../unavailable.cjs')('protobufjs', "dockerode's BuildKit progress (docker.followProgress, docker.buildImage)")
