'use strict'
const unavailable = require('../unavailable.cjs')('undici', "@actions/http-client's HttpClient.getAgentDispatcher (fetch through a proxy), which nothing here calls")

// @actions/http-client imports this name at load time and uses it only inside getAgentDispatcher.
exports.ProxyAgent = class ProxyAgent {
  constructor() {
    void unavailable.ProxyAgent
  }
}
