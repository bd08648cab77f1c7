'use strict'
const unavailable = require('../unavailable.cjs')('ssh2', 'an ssh:// DOCKER_HOST, which the action refuses before it connects')

// docker-modem reads Client at load time and constructs one only for an ssh:// host.
exports.Client = class Client {
  constructor() {
    void unavailable.Client
  }
}
