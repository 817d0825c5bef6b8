// Runs inside autocannon's worker thread: gives each connection the requests prepared for it (one member
// per connection), read from the file the bench wrote before starting the load.
const { readFileSync } = require("node:fs");

const perConnection = JSON.parse(readFileSync(process.env.POLYPHONY_BENCH_CONNECTIONS, "utf8"));
let next = 0;

module.exports = (client) => {
  client.setRequests(perConnection[next % perConnection.length]);
  next++;
};
