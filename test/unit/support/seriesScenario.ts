// A scenario for the charts' time series. Acks land exactly on the 100 ms grid (an op at 90ms plus a 10 ms cache round
// trip), which is where an inexact sampler (one reading the state at the first step after a boundary, or before the
// instant ends) would slip; it has a crash, a restart, several clients and a read straight from the database.
export const PINNED = `strategy write-behind
set writeBehind.flushInterval 1s
set cache.latency 10ms
set db.latency 10ms
at 90ms write k 1
at 190ms as b write k 2
at 290ms as c write j 1
at 290ms as d read k
at 500ms crash cache
at 600ms restart cache
at 690ms as e write j 2
at 1000ms as f read-db j
`;
