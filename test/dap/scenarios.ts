// Scenarios both debugger suites step through (the comments are line numbers the assertions rely on).

/** Three write-behind writes acknowledged, then the node crashes before the 60 s flush. */
export const CRASH = [
  '# write-behind: three writes acknowledged, then the node crashes before the flush', // 1
  'strategy write-behind', // 2
  'set writeBehind.flushInterval 60s', // 3
  'load product:1 {"price": 10}', // 4
  '', // 5
  'write product:1 {"price": 12}', // 6
  'write product:2 {"price": 20}', // 7
  'write product:3 {"price": 30}', // 8
  'read product:1', // 9
  'crash cache', // 10
  'expect metric lostWrites == 3', // 11
].join('\n');

/** A write-through write and the read that sees it. */
export const THROUGH = [
  'strategy write-through', // 1
  'load product:1 {"price": 10}', // 2
  'write product:1 {"price": 12}', // 3
  'read product:1', // 4
  'expect value {"price": 12}', // 5
].join('\n');

/** Three clients write at once: their hops interleave, so line 2 is visited twice (its second visit at 11 ms). */
export const CONCURRENT = [
  'strategy write-through', // 1
  'at 0ms as alice write a 1', // 2
  'at 0ms as bob write b 2', // 3
  'at 0ms as carol write c 3', // 4
  'read a', // 5
].join('\n');

/** Keys that read as a number, the clock, a metric and a keyword. */
export const KEYWORD_KEYS = [
  'strategy write-through', // 1
  'write 42 {"a":1}', // 2
  'write time 7', // 3
  'write reads 3', // 4
  'read 42', // 5
].join('\n');

/**
 * Two write-behind writes with a TTL, a read that makes `a` the most recently used entry, then a flush that fails once
 * and is retried: the Cache scope's recency order and TTL left, and the queue's retries.
 */
export const TTL_RETRY = [
  'strategy write-behind', // 1
  'set cache.ttl 10s', // 2
  'set writeBehind.flushInterval 60s', // 3
  'set writeBehind.retryDelay 1s', // 4
  'write a 1', // 5
  'write b 2', // 6
  'read a', // 7
  'fail db next 1 writes', // 8
  'advance 2m', // 9: the flush at 60 s fails, its retry at 61 s lands
].join('\n');
